package dev.vigil.proxy.impl;

import dev.vigil.proxy.ProxyConfig;

/**
 * The request-side bounds of the gateway.
 *
 * @param maxRequestBodyBytes larger request bodies are refused with 413
 * @param recordMaxBodyBytes  bytes of a body kept per event
 * @param bodyIdleMillis      a request body that makes no progress for this long is refused with 408; 0 disables
 * @param streams             what is recorded of streams and WebSocket relays
 */
record GatewayLimits(long maxRequestBodyBytes, int recordMaxBodyBytes, long bodyIdleMillis, StreamLimits streams) {

  GatewayLimits {
    java.util.Objects.requireNonNull(streams, "streams");
    if (maxRequestBodyBytes < 0 || recordMaxBodyBytes < 0 || bodyIdleMillis < 0) {
      throw new IllegalArgumentException("gateway limits must not be negative");
    }
  }

  static GatewayLimits from(ProxyConfig config) {
    return new GatewayLimits(config.maxRequestBodyBytes(), config.recordMaxBodyBytes(),
        config.serverIdleTimeout().toMillis(), StreamLimits.from(config));
  }
}

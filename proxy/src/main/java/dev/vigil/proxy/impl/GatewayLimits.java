package dev.vigil.proxy.impl;

import dev.vigil.proxy.ProxyConfig;

/**
 * The bounds of the gateway.
 *
 * @param maxRequestBodyBytes    larger request bodies are refused with 413
 * @param recordMaxBodyBytes     bytes of a body kept per event
 * @param bodyIdleMillis         a request body that makes no progress for this long is refused with 408; 0 disables
 * @param bodyTimeoutMillis      a request body read ahead before forwarding (all of it up to the recording cap, or of
 *                               unknown length) that has not ended this long after it started is refused with 408;
 *                               0 disables
 * @param streams                what is recorded of streams and WebSocket relays
 * @param maxMaskedResponseBytes under {@code maskResponse}, the largest response body (or stream frame: one watch event,
 *                               one held log or exec output line) the gateway buffers and masks for the caller; a
 *                               larger one is refused, never relayed unmasked
 */
record GatewayLimits(long maxRequestBodyBytes, int recordMaxBodyBytes, long bodyIdleMillis, long bodyTimeoutMillis,
    StreamLimits streams, int maxMaskedResponseBytes) {

  GatewayLimits {
    java.util.Objects.requireNonNull(streams, "streams");
    if (maxRequestBodyBytes < 0 || recordMaxBodyBytes < 0 || bodyIdleMillis < 0 || bodyTimeoutMillis < 0
        || maxMaskedResponseBytes < 0) {
      throw new IllegalArgumentException("gateway limits must not be negative");
    }
  }

  static GatewayLimits from(ProxyConfig config) {
    return new GatewayLimits(config.maxRequestBodyBytes(), config.recordMaxBodyBytes(),
        config.serverIdleTimeout().toMillis(), config.serverRequestBodyTimeout().toMillis(), StreamLimits.from(config),
        config.maxMaskedResponseBytes());
  }
}

package dev.vigil.proxy;

import dev.vigil.proxy.impl.VigilProxyImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The Kubernetes gateway: an HTTPS reverse proxy in front of one Kubernetes API server that authenticates every
 * caller with OIDC, forwards with the gateway's own upstream credential, and records each call as Avro events.
 */
public interface VigilProxy {

  /** Starts a gateway recording to Kafka as configured by {@code vigil.proxy.kafka.producer.*}. */
  static Future<VigilProxy> start(Vertx vertx, ProxyConfig config) {
    return VigilProxyImpl.start(vertx, config, null);
  }

  /** Starts a gateway recording to {@code sink} (e.g. an in-memory sink in tests); no Kafka producer is created. */
  static Future<VigilProxy> start(Vertx vertx, ProxyConfig config, RecordingSink sink) {
    return VigilProxyImpl.start(vertx, config, java.util.Objects.requireNonNull(sink, "sink"));
  }

  /** The port the gateway listens on (the actual one when configured with 0). */
  int port();

  /** Stops accepting calls, then flushes and closes the recording sink (the Kafka producer). */
  Future<Void> close();
}

package dev.vigil.proxy.impl;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.vigil.schema.RequestRef;
import io.vertx.core.http.HttpServerRequest;

/** The state of one call through the gateway, from request received to its terminal event. Event-loop confined. */
final class Exchange {

  final String requestId = UUID.randomUUID().toString();
  final HttpServerRequest request;
  final long startNanos;
  final long startMillis;
  String sessionKey = SessionKeys.ANONYMOUS;
  CallerIdentity caller = CallerIdentity.ANONYMOUS;
  RequestRef ref;
  /** A watch or a followed log: legitimately idle for long periods, so no upstream idle timeout. */
  boolean longRunning;
  PrefetchingBody requestBody;
  boolean clientClosed;
  /** The gateway's own answer when the call was not forwarded or the upstream failed; null when relayed. */
  StatusErrors.StatusError shortCircuit;
  /** Set once the ResponseCompleted or UpstreamError event was recorded: exactly one per call. */
  boolean terminalRecorded;

  Exchange(HttpServerRequest request, long startNanos, long startMillis) {
    this.request = request;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  long elapsedMillis(long nowNanos) {
    return TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
  }
}

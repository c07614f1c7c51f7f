package dev.vigil.proxy.impl;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Strict (fail-closed) recording ({@code recording: strict} in the policy): a strict call is forwarded only once its
 * RequestReceived event was acknowledged by the sink (for Kafka: by the broker, acks=all) within
 * {@code vigil.proxy.recording.strict-timeout}; otherwise the caller gets a 503 Status and nothing is forwarded. A
 * strict stream (watch, log, exec, attach, port-forward) is ended as soon as one of its frames cannot be recorded
 * within the bound. Both are counted for {@code /vigil/status}.
 */
final class StrictRecording {

  static final String REFUSED_MESSAGE = "recording is unavailable: the call was not forwarded because Vigil could not "
      + "record it (strict mode)";
  static final String STREAM_ENDED_MESSAGE = "recording is unavailable: the stream was ended because Vigil could not "
      + "record it (strict mode)";

  private final Vertx vertx;
  private final long timeoutMillis;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong streamsEnded = new AtomicLong();

  StrictRecording(Vertx vertx, long timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("strict timeout must be positive");
    }
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  long timeoutMillis() {
    return timeoutMillis;
  }

  /** {@code stored}, failed with a {@link TimeoutException} when it is not complete within the bound. */
  Future<Void> acknowledged(Future<Void> stored) {
    if (stored.isComplete()) {
      return stored;
    }
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(
        new TimeoutException("event not acknowledged within " + timeoutMillis + " ms")));
    stored.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        promise.tryComplete();
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  /** The 503 a strict call gets when its RequestReceived could not be recorded. */
  StatusErrors.StatusError refuse() {
    refused.incrementAndGet();
    return new StatusErrors.StatusError(503, "ServiceUnavailable", REFUSED_MESSAGE);
  }

  void streamEnded() {
    streamsEnded.incrementAndGet();
  }

  /** Strict calls refused (503) because their RequestReceived was not acknowledged in time. */
  long refused() {
    return refused.get();
  }

  /** Strict streams ended because a frame was not acknowledged in time. */
  long streamsEnded() {
    return streamsEnded.get();
  }
}

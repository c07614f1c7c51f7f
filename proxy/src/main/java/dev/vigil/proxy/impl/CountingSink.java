package dev.vigil.proxy.impl;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.RecordingSink;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.Future;

/**
 * Counts what the wrapped sink stored and failed to store, and logs failures (event id, payload type and session
 * key only: never headers, bodies or tokens), at most once per {@value #LOG_INTERVAL_MILLIS} ms with the running
 * count. In the foundation gateway a failure does not stop the call.
 */
final class CountingSink implements RecordingSink {

  private static final Logger LOG = LoggerFactory.getLogger(CountingSink.class);
  static final long LOG_INTERVAL_MILLIS = 10_000;

  private final RecordingSink delegate;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE);

  CountingSink(RecordingSink delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<Void> record(VigilEvent event) {
    long started = System.nanoTime();
    Future<Void> f;
    try {
      f = delegate.record(event);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.andThen(ar -> {
      ProxyMetrics.recordingAck(ar.succeeded(), System.nanoTime() - started);
      if (ar.succeeded()) {
        recorded.incrementAndGet();
      } else {
        long n = failed.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_MILLIS && lastLog.compareAndSet(last, now)) {
          LOG.warn("Could not record event {} ({}) of session {}: {} ({} recording failures so far)",
              event.getEventId(), event.getPayload().getClass().getSimpleName(), event.getSessionKey(),
              ar.cause().toString(), n);
        }
      }
    });
  }

  long recorded() {
    return recorded.get();
  }

  long failed() {
    return failed.get();
  }

  /** The Kafka sink, or null for other sinks. */
  KafkaRecordingSink kafka() {
    return delegate instanceof KafkaRecordingSink kafka ? kafka : null;
  }

  /** The Kafka sink's losses and the gap events reporting them; null for other sinks. */
  GapTracker gaps() {
    return delegate instanceof KafkaRecordingSink kafka ? kafka.gaps() : null;
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}

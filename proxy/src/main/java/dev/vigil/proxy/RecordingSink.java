package dev.vigil.proxy;

import dev.vigil.schema.VigilEvent;
import io.vertx.core.Future;

/**
 * Where the gateway sends the events it records. The production sink publishes to Kafka
 * ({@code vigil.events.v1}, keyed by session key); tests may use an in-memory sink.
 *
 * <p>{@link #record} returns a future completed when the event is durably stored (for Kafka: acknowledged by the
 * broker). The foundation gateway does not wait for it before forwarding; strict mode will.
 * Implementations must keep the order of calls for events of one session.
 */
public interface RecordingSink {

  /** Stores one event; the future fails if it could not be stored. Must not throw. */
  Future<Void> record(VigilEvent event);

  /** Flushes what is pending and releases resources. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

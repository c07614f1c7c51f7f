package dev.vigil.streams.session;

import java.util.Objects;

import dev.vigil.schema.VigilEvent;

/**
 * A decoded event with the exact record value it was decoded from: the value is what the hash chain covers. Lives
 * only in memory between the decode stage and the sessionizer (never serialized).
 *
 * @param value the Kafka record value, byte for byte (Avro single-object encoding)
 * @param event the decoded event
 */
public record RawEvent(byte[] value, VigilEvent event) {

  public RawEvent {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(event, "event");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawEvent r && java.util.Arrays.equals(value, r.value) && event.equals(r.event);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(value) + event.hashCode();
  }

  @Override
  public String toString() {
    return "RawEvent{" + event.getEventId() + ", " + value.length + " bytes}";
  }
}

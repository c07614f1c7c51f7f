package dev.vigil.schema.serde;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;

/** Serdes for the public topics; each knows every previously published schema version it must still read. */
public final class VigilSerdes {

  private VigilSerdes() {}

  public static AvroSerde<VigilEvent> events() {
    return AvroSerde.of(VigilEvent.class, VigilEvent.getClassSchema(), SchemaHistory.previous("VigilEvent"));
  }

  public static AvroSerde<SessionSummary> sessions() {
    return AvroSerde.of(SessionSummary.class, SessionSummary.getClassSchema(), SchemaHistory.previous("SessionSummary"));
  }

  public static AvroSerde<Alert> alerts() {
    return AvroSerde.of(Alert.class, Alert.getClassSchema(), SchemaHistory.previous("Alert"));
  }

  /** Kafka-config friendly classes (no-arg constructors) for {@code value.serializer} / {@code value.deserializer}. */
  public static final class EventSerializer extends DelegatingSerializer<VigilEvent> {
    public EventSerializer() { super(events().serializer()); }
  }

  public static final class EventDeserializer extends DelegatingDeserializer<VigilEvent> {
    public EventDeserializer() { super(events().deserializer()); }
  }

  public static final class SessionSerializer extends DelegatingSerializer<SessionSummary> {
    public SessionSerializer() { super(sessions().serializer()); }
  }

  public static final class SessionDeserializer extends DelegatingDeserializer<SessionSummary> {
    public SessionDeserializer() { super(sessions().deserializer()); }
  }

  public static final class AlertSerializer extends DelegatingSerializer<Alert> {
    public AlertSerializer() { super(alerts().serializer()); }
  }

  public static final class AlertDeserializer extends DelegatingDeserializer<Alert> {
    public AlertDeserializer() { super(alerts().deserializer()); }
  }
}

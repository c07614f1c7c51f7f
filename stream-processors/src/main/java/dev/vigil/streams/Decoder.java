package dev.vigil.streams;

import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.StreamsSettings.UnknownSchema;
import dev.vigil.streams.session.RawEvent;

/**
 * The decode stage: the record value (bytes) → {@link RawEvent}. A record that is not a {@code VigilEvent} (no value,
 * not single-object encoded, corrupt) or whose key is not the event's session key becomes a poison {@link Decoded}
 * carrying the original bytes, with {@link DeadLetterHeaders} added, and processing goes on. A record written with a
 * schema this processor does not know stops the application or is dead-lettered, per
 * {@code vigil.streams.unknown-schema}. Logs name the reason code and the record's coordinates, never its content.
 */
final class Decoder implements FixedKeyProcessor<String, byte[], Decoded> {

  static final String STAGE = "decode";
  private static final Logger LOG = LoggerFactory.getLogger(Decoder.class);

  private final AvroSerde<VigilEvent> serde = VigilSerdes.events();
  private final UnknownSchema unknownSchema;
  private final String dlqTopic;
  private FixedKeyProcessorContext<String, Decoded> context;

  Decoder(UnknownSchema unknownSchema, String dlqTopic) {
    this.unknownSchema = unknownSchema;
    this.dlqTopic = dlqTopic;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Decoded> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    byte[] value = record.value();
    if (value == null) {
      poison(record, DeadLetterHeaders.NULL_VALUE, "the record has no value");
      return;
    }
    VigilEvent event;
    try {
      event = serde.decode(value);
    } catch (SerializationException e) {
      if (!(e.getCause() instanceof MissingSchemaException)) {
        poison(record, DeadLetterHeaders.UNDECODABLE, e.getMessage());
      } else if (unknownSchema == UnknownSchema.DLQ) {
        poison(record, DeadLetterHeaders.UNKNOWN_SCHEMA, e.getMessage());
      } else {
        String where = coordinates();
        LOG.error("Record {} was written with a VigilEvent schema this processor does not know (the gateway is newer): "
            + "stopping; upgrade the stream processors (or set vigil.streams.unknown-schema=dlq)", where);
        throw new StreamsException("Unknown VigilEvent writer schema at " + where + ": " + e.getMessage(), e);
      }
      return;
    }
    if (record.key() == null || !record.key().equals(event.getSessionKey())) {
      poison(record, DeadLetterHeaders.KEY_MISMATCH, "the record key is " + (record.key() == null ? "null" : "not")
          + " the event's sessionKey (events must be keyed by session key)");
      return;
    }
    context.forward(record.withValue(Decoded.ok(new RawEvent(value, event))));
  }

  private void poison(FixedKeyRecord<String, byte[]> record, String code, String detail) {
    RecordMetadata m = context.recordMetadata().orElse(null);
    String topic = m == null ? "" : m.topic();
    int partition = m == null ? -1 : m.partition();
    long offset = m == null ? -1 : m.offset();
    LOG.warn("Sending {}-{}@{} to {}: {}", topic, partition, offset, dlqTopic, code);
    context.forward(record
        .withHeaders(DeadLetterHeaders.of(record.headers(), code, String.valueOf(detail), STAGE, topic, partition, offset))
        .withValue(Decoded.poison(record.value())));
  }

  private String coordinates() {
    return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("(unknown)");
  }
}

package dev.vigil.indexer.impl;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.vigil.indexer.AlertDocuments;
import dev.vigil.indexer.EventDocuments;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.SessionDocuments;
import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * How the records of one topic become documents: the serde that decodes them, the document id, the target index, the
 * document and, for session summaries, the external version. Everything else (decode failures, unknown writer schemas,
 * bulk writes, retries, DLQ, commits) is the same pipeline for every topic.
 *
 * @param <T> the record type
 */
final class DocumentMapper<T extends SpecificRecord> {

  /** Builds the bulk item once the value is decoded and its id known; may throw (→ DLQ {@code unconvertible}). */
  @FunctionalInterface
  interface ItemBuilder<T> {
    BulkItem build(ConsumerRecord<byte[], byte[]> record, T value, String id);
  }

  /** The document id of a decoded value; may throw (→ DLQ {@code unconvertible}, without an id). */
  @FunctionalInterface
  interface IdFunction<T> {
    String id(T value);
  }

  private final String topic;
  private final AvroSerde<T> serde;
  private final String idHeader;
  private final IdFunction<T> ids;
  private final ItemBuilder<T> items;

  private DocumentMapper(String topic, AvroSerde<T> serde, String idHeader, IdFunction<T> ids, ItemBuilder<T> items) {
    this.topic = topic;
    this.serde = serde;
    this.idHeader = idHeader;
    this.ids = ids;
    this.items = items;
  }

  /**
   * Events → the daily index of their event time, {@code _id} = event id, plus {@code raw} (the record value in
   * base64); re-writing the same event is idempotent.
   */
  static DocumentMapper<VigilEvent> events(IndexerConfig config) {
    return new DocumentMapper<>(config.topic(), VigilSerdes.events(), DeadLetter.EVENT_ID_HEADER, EventDocuments::documentId,
        (record, event, id) -> {
          Map<String, Object> doc = EventDocuments.toDocument(event, record.value(), config.maxBodyChars(),
              record.partition(), record.offset());
          return BulkItem.of(record, id, DeadLetter.EVENT_ID_HEADER,
              EventDocuments.indexName(config.indexPrefix(), event.getTime()), doc, null);
        });
  }

  /**
   * Session summaries → the sessions index, {@code _id} = session id, versioned by the record's offset
   * ({@code external_gte}): a summary read again, or an older one redelivered after a newer one was stored, never
   * replaces the newer document. The topic is keyed by session id, so all summaries of a session share a partition and
   * their offsets are in emission order.
   */
  static DocumentMapper<SessionSummary> sessions(IndexerConfig config) {
    return new DocumentMapper<>(config.sessionsTopic(), VigilSerdes.sessions(), DeadLetter.SESSION_ID_HEADER,
        SessionDocuments::documentId,
        (record, summary, id) -> BulkItem.of(record, id, DeadLetter.SESSION_ID_HEADER, config.sessionsIndex(),
            SessionDocuments.toDocument(summary, record.partition(), record.offset()), record.offset()));
  }

  /** Alerts → the alerts index, {@code _id} = alert id (an alert re-emitted with the same id leaves one document). */
  static DocumentMapper<Alert> alerts(IndexerConfig config) {
    return new DocumentMapper<>(config.alertsTopic(), VigilSerdes.alerts(), DeadLetter.ALERT_ID_HEADER,
        AlertDocuments::documentId,
        (record, alert, id) -> BulkItem.of(record, id, DeadLetter.ALERT_ID_HEADER, config.alertsIndex(),
            AlertDocuments.toDocument(alert, record.partition(), record.offset()), null));
  }

  String topic() {
    return topic;
  }

  String idHeader() {
    return idHeader;
  }

  /** Decodes a record value; throws {@link org.apache.kafka.common.errors.SerializationException} naming the problem. */
  T decode(byte[] value) {
    return serde.decode(value);
  }

  String id(T value) {
    return ids.id(value);
  }

  BulkItem item(ConsumerRecord<byte[], byte[]> record, T value, String id) {
    return items.build(record, value, id);
  }
}

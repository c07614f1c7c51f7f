package dev.vigil.indexer.impl;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record that cannot be indexed, with why.
 *
 * @param record the original record (its bytes go to the DLQ unchanged)
 * @param reasonCode one of {@code undecodable}, {@code null-value}, {@code unconvertible}, {@code rejected},
 *     {@code retries-exhausted}, {@code request-rejected}, {@code too-large}
 * @param detail a human-readable explanation (for rejected items: status, OpenSearch error type and reason)
 * @param idHeader the DLQ header naming the document id: {@code vigil.dlq.event-id}, {@code vigil.dlq.session-id} or
 *     {@code vigil.dlq.alert-id}
 * @param documentId the document id (event, session or alert id) when the record could be decoded, else null
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String detail, String idHeader,
    String documentId) {

  public static final String UNDECODABLE = "undecodable";
  public static final String NULL_VALUE = "null-value";
  public static final String UNCONVERTIBLE = "unconvertible";
  public static final String REJECTED = "rejected";
  public static final String RETRIES_EXHAUSTED = "retries-exhausted";
  /** The whole bulk request holding the document was refused with a 4xx that retrying cannot fix. */
  public static final String REQUEST_REJECTED = "request-rejected";
  /** OpenSearch refused a bulk request holding only this document as too large (413). */
  public static final String TOO_LARGE = "too-large";

  public static final String EVENT_ID_HEADER = "vigil.dlq.event-id";
  public static final String SESSION_ID_HEADER = "vigil.dlq.session-id";
  public static final String ALERT_ID_HEADER = "vigil.dlq.alert-id";

  /** A dead letter of the events topic ({@code vigil.dlq.event-id}). */
  public DeadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String detail, String eventId) {
    this(record, reasonCode, detail, EVENT_ID_HEADER, eventId);
  }

  /** A dead letter for a document that could not be written. */
  static DeadLetter of(BulkItem item, String reasonCode, String detail) {
    return new DeadLetter(item.record(), reasonCode, detail, item.idHeader(), item.id());
  }

  /** {@code <code>: <detail>}, as written to the {@code vigil.dlq.reason} header. */
  public String reason() {
    return reasonCode + ": " + detail;
  }
}

package dev.vigil.indexer.impl;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record that cannot be indexed, with why.
 *
 * @param record the original record (its bytes go to the DLQ unchanged)
 * @param reasonCode one of {@code undecodable}, {@code null-value}, {@code unconvertible}, {@code rejected},
 *     {@code retries-exhausted}, {@code request-rejected}, {@code too-large}
 * @param detail a human-readable explanation (for rejected items: status, OpenSearch error type and reason)
 * @param eventId the event id when the record could be decoded, else null
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String detail, String eventId) {

  public static final String UNDECODABLE = "undecodable";
  public static final String NULL_VALUE = "null-value";
  public static final String UNCONVERTIBLE = "unconvertible";
  public static final String REJECTED = "rejected";
  public static final String RETRIES_EXHAUSTED = "retries-exhausted";
  /** The whole bulk request holding the document was refused with a 4xx that retrying cannot fix. */
  public static final String REQUEST_REJECTED = "request-rejected";
  /** OpenSearch refused a bulk request holding only this document as too large (413). */
  public static final String TOO_LARGE = "too-large";

  /** {@code <code>: <detail>}, as written to the {@code vigil.dlq.reason} header. */
  public String reason() {
    return reasonCode + ": " + detail;
  }
}

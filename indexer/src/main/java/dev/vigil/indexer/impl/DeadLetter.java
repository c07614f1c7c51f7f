package dev.vigil.indexer.impl;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record that cannot be indexed, with why.
 *
 * @param record the original record (its bytes go to the DLQ unchanged)
 * @param reasonCode one of {@code undecodable}, {@code null-value}, {@code unconvertible}, {@code rejected},
 *     {@code retries-exhausted}
 * @param detail a human-readable explanation (for rejected items: status, OpenSearch error type and reason)
 * @param eventId the event id when the record could be decoded, else null
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reasonCode, String detail, String eventId) {

  public static final String UNDECODABLE = "undecodable";
  public static final String NULL_VALUE = "null-value";
  public static final String UNCONVERTIBLE = "unconvertible";
  public static final String REJECTED = "rejected";
  public static final String RETRIES_EXHAUSTED = "retries-exhausted";

  /** {@code <code>: <detail>}, as written to the {@code vigil.dlq.reason} header. */
  public String reason() {
    return reasonCode + ": " + detail;
  }
}

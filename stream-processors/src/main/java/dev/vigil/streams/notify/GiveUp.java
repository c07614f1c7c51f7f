package dev.vigil.streams.notify;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An alert record that was not delivered to a webhook (or to any: {@code webhook} null when it could not be decoded),
 * with why. Each one is logged, counted and written to the dead-letter topic.
 *
 * @param record the consumed record (its key and value go to the dead-letter topic unchanged)
 * @param alertId the alert id, null when the record could not be decoded
 * @param webhook the webhook's name, null when the record could not be decoded
 * @param reasonCode one of the constants below
 * @param detail what happened: status and the receiver's short answer, or the error type (never the webhook URL)
 */
record GiveUp(ConsumerRecord<byte[], byte[]> record, String alertId, String webhook, String reasonCode, String detail) {

  /** The receiver answered with a status retrying cannot fix (4xx other than 408/429, 3xx) or TLS failed. */
  static final String REJECTED = "rejected";
  /** Retryable failures (connection, timeout, 408, 429, 5xx) for every one of the {@code max-attempts}. */
  static final String RETRIES_EXHAUSTED = "retries-exhausted";
  /**
   * Not attempted: earlier alerts of the same poll exhausted their retries on this webhook and a single further attempt
   * failed too; the rest of the poll is given up at once so that a dead receiver does not hold the consumer for
   * {@code records x retries}.
   */
  static final String WEBHOOK_UNAVAILABLE = "webhook-unavailable";
  /** The record is not a readable {@code Alert}. */
  static final String UNDECODABLE = "undecodable";
  /** The record has no value. */
  static final String NULL_VALUE = "null-value";

  /** {@code <code>: <detail>}, as written to the {@code vigil.dlq.reason} header. */
  String reason() {
    return reasonCode + ": " + detail;
  }
}

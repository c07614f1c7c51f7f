package dev.vigil.streams;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of the stream processors' records on {@code vigil.dlq.v1}, next to the original record's own headers (its
 * key and value bytes are kept as they were). Values are UTF-8 strings.
 */
public final class DeadLetterHeaders {

  /** {@code <reason code>: <detail>}. */
  public static final String REASON = "vigil.dlq.reason";
  /** {@code undecodable}, {@code unknown-schema}, {@code null-value} or {@code key-mismatch}. */
  public static final String REASON_CODE = "vigil.dlq.reason-code";
  public static final String SOURCE_TOPIC = "vigil.dlq.source.topic";
  public static final String SOURCE_PARTITION = "vigil.dlq.source.partition";
  public static final String SOURCE_OFFSET = "vigil.dlq.source.offset";
  /** The stage that refused the record: {@code decode}. */
  public static final String STAGE = "vigil.dlq.stage";
  /** {@code vigil-streams} (the indexer writes {@code vigil-indexer}). */
  public static final String COMPONENT = "vigil.dlq.component";

  public static final String UNDECODABLE = "undecodable";
  public static final String UNKNOWN_SCHEMA = "unknown-schema";
  public static final String NULL_VALUE = "null-value";
  public static final String KEY_MISMATCH = "key-mismatch";

  static final int MAX_REASON_CHARS = 2000;

  private DeadLetterHeaders() {}

  /**
   * The original headers without any earlier {@code vigil.dlq.*} ones (a record dead-lettered before and replayed),
   * plus this stage's.
   */
  static Headers of(Headers original, String reasonCode, String detail, String stage, String topic, int partition,
      long offset) {
    RecordHeaders h = new RecordHeaders();
    for (Header header : original) {
      if (!header.key().startsWith("vigil.dlq.")) {
        h.add(header.key(), header.value());
      }
    }
    String reason = reasonCode + ": " + detail;
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS) + "…";
    }
    h.add(REASON, utf8(reason));
    h.add(REASON_CODE, utf8(reasonCode));
    h.add(SOURCE_TOPIC, utf8(topic));
    h.add(SOURCE_PARTITION, utf8(String.valueOf(partition)));
    h.add(SOURCE_OFFSET, utf8(String.valueOf(offset)));
    h.add(STAGE, utf8(stage));
    h.add(COMPONENT, utf8("vigil-streams"));
    return h;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.vigil.streams;

import static dev.vigil.streams.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

class DecodeDeadLetterTest {

  @TempDir
  Path dir;

  private static String header(Headers h, String key) {
    return new String(h.lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldSendAPoisonRecordToTheDlqAndProcessTheNextOne() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir)) {
      byte[] poison = "definitely not avro".getBytes(StandardCharsets.UTF_8);
      RecordHeaders original = new RecordHeaders();
      original.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
      original.add(DeadLetterHeaders.REASON, "stale".getBytes(StandardCharsets.UTF_8));
      f.sendRaw("agent-1", poison, original);
      VigilEvent good = TestEvents.get("agent-1", T0);
      f.send(good);

      TestRecord<String, byte[]> dead = f.dlq.readRecord();
      assertThat(dead.key()).isEqualTo("agent-1");
      assertThat(dead.value()).isEqualTo(poison);
      Headers h = dead.headers();
      assertThat(header(h, "trace-id")).isEqualTo("abc");
      assertThat(h.headers(DeadLetterHeaders.REASON)).hasSize(1);
      assertThat(header(h, DeadLetterHeaders.REASON)).startsWith("undecodable: Not an Avro single-object encoded VigilEvent");
      assertThat(header(h, DeadLetterHeaders.REASON_CODE)).isEqualTo("undecodable");
      assertThat(header(h, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.EVENTS);
      assertThat(header(h, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
      assertThat(header(h, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
      assertThat(header(h, DeadLetterHeaders.STAGE)).isEqualTo("decode");
      assertThat(header(h, DeadLetterHeaders.COMPONENT)).isEqualTo("vigil-streams");
      assertThat(f.dlq.isEmpty()).isTrue();

      f.advance(Duration.ofSeconds(5));
      SessionSummary s = f.sessions.readValue();
      assertThat(s.getSessionId()).isEqualTo("agent-1#" + good.getEventId());
      assertThat(s.getEventCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldDeadLetterTombstonesCorruptBodiesAndMiskeyedEvents() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir)) {
      byte[] valid = VigilSerdes.events().encode(TestEvents.get("agent-1", T0));
      byte[] truncated = Arrays.copyOf(valid, 14);
      f.sendRaw("agent-1", null, new RecordHeaders());
      f.sendRaw("agent-1", truncated, new RecordHeaders());
      f.sendRaw("agent-2", valid, new RecordHeaders());
      f.sendRaw(null, valid, new RecordHeaders());

      var dead = f.dlq.readRecordsToList();
      assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.REASON_CODE))
          .containsExactly("null-value", "undecodable", "key-mismatch", "key-mismatch");
      assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.SOURCE_OFFSET))
          .containsExactly("0", "1", "2", "3");
      assertThat(dead.get(1).value()).isEqualTo(truncated);
      assertThat(dead.get(2).key()).isEqualTo("agent-2");
      assertThat(dead.get(2).value()).isEqualTo(valid);
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.isEmpty()).isTrue();
    }
  }

  /** Single-object header with a fingerprint no published VigilEvent schema has: a newer gateway wrote it. */
  private static byte[] unknownSchemaRecord() {
    byte[] valid = VigilSerdes.events().encode(TestEvents.get("agent-1", T0));
    byte[] b = valid.clone();
    for (int i = 2; i < 10; i++) {
      b[i] = (byte) ~b[i];
    }
    return b;
  }

  @Test
  void shouldStopOnAnUnknownWriterSchemaByDefault() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir)) {
      assertThatThrownBy(() -> f.sendRaw("agent-1", unknownSchemaRecord(), new RecordHeaders()))
          .isInstanceOf(StreamsException.class)
          .hasStackTraceContaining("Unknown VigilEvent writer schema at vigil.events.v1-0@0");
      assertThat(f.dlq.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldDeadLetterAnUnknownWriterSchemaWhenConfigured() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir, "vigil.streams.unknown-schema", "dlq")) {
      f.sendRaw("agent-1", unknownSchemaRecord(), new RecordHeaders());
      assertThat(header(f.dlq.readRecord().headers(), DeadLetterHeaders.REASON_CODE)).isEqualTo("unknown-schema");
    }
  }
}

package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.TestEvents;
import dev.vigil.indexer.TestSummaries;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/** One pipeline, one document mapper per topic. */
class BatchDecoderTest {

  private static final IndexerConfig CONFIG = IndexerConfig.from(Settings.of(Map.of(
      "vigil.indexer.kafka.consumer.bootstrap.servers", "x:9092",
      "vigil.indexer.max-body-chars", "3")));

  private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, byte[] value) {
    return new ConsumerRecord<>(topic, 0, offset, "k".getBytes(StandardCharsets.UTF_8), value);
  }

  private static BatchDecoder.Batch decode(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byTp = new java.util.LinkedHashMap<>();
    records.forEach(r -> byTp.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new java.util.ArrayList<>()).add(r));
    return new BatchDecoder(CONFIG).decode(new ConsumerRecords<>(byTp, Map.of()));
  }

  @Test
  void shouldMapEachTopicWithItsOwnMapper() {
    VigilEvent event = TestEvents.simple("k", 1, TestEvents.T0, "a", "get", "pods", "default", "p", "0123456789");
    byte[] eventBytes = VigilSerdes.events().encode(event);
    byte[] summary = VigilSerdes.sessions().encode(TestSummaries.summary("k", "k#e0", SessionStatus.OPEN, 2, 0));
    byte[] alert = VigilSerdes.alerts().encode(TestSummaries.alert("al-1", "k", "k#e0"));

    BatchDecoder.Batch batch = decode(List.of(record("vigil.events.v1", 4, eventBytes), record("vigil.sessions.v1", 9, summary),
        record("vigil.alerts.v1", 2, alert)));

    assertThat(batch.dead()).isEmpty();
    assertThat(batch.items()).extracting(BulkItem::index, BulkItem::id, BulkItem::version).containsExactly(
        org.assertj.core.groups.Tuple.tuple("vigil-events-2025.03.01", event.getEventId(), null),
        org.assertj.core.groups.Tuple.tuple("vigil-sessions", "k#e0", 9L),
        org.assertj.core.groups.Tuple.tuple("vigil-alerts", "al-1", null));
    Map<String, Object> eventDoc = batch.items().get(0).document();
    assertThat(Base64.getDecoder().decode((String) eventDoc.get("raw"))).isEqualTo(eventBytes);
    assertThat(eventDoc).containsEntry("bodyTruncatedAt", 3);
    assertThat(batch.offsets().values()).extracting(o -> o.offset()).containsExactlyInAnyOrder(5L, 10L, 3L);
  }

  @Test
  void shouldDeadLetterUndecodableSummariesAndSummariesWithoutSessionId() {
    byte[] v1Like = VigilSerdes.sessions().encode(TestSummaries.summary("k", "", SessionStatus.OPEN, 1, 0));

    BatchDecoder.Batch batch = decode(List.of(record("vigil.sessions.v1", 0, "garbage".getBytes(StandardCharsets.UTF_8)),
        record("vigil.sessions.v1", 1, v1Like), record("vigil.alerts.v1", 0, null)));

    assertThat(batch.items()).isEmpty();
    assertThat(batch.dead()).extracting(DeadLetter::reasonCode, DeadLetter::idHeader).containsExactly(
        org.assertj.core.groups.Tuple.tuple(DeadLetter.UNDECODABLE, DeadLetter.SESSION_ID_HEADER),
        org.assertj.core.groups.Tuple.tuple(DeadLetter.UNCONVERTIBLE, DeadLetter.SESSION_ID_HEADER),
        org.assertj.core.groups.Tuple.tuple(DeadLetter.NULL_VALUE, DeadLetter.ALERT_ID_HEADER));
    assertThat(batch.dead().get(1).detail()).contains("without a sessionId");
  }
}

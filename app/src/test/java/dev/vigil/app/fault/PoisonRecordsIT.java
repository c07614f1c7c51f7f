package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.StreamProcessors;
import dev.vigil.streams.StreamsSettings;

/**
 * Poison records on the events topic between the proxy's valid events, mid-load: garbage bytes and truncated Avro
 * bodies go to the DLQ from the indexer and from the stream processors, each with its reason; every valid event is
 * still indexed and sessionized. A record with an unknown schema fingerprint is, by the indexer's design, not a dead
 * letter (a newer indexer can read it): its partition is blocked at that record; the stream processors (with
 * {@code unknown-schema=dlq}) dead-letter it and go on.
 */
@ExtendWith(OpenSearchExtension.class)
class PoisonRecordsIT {

  private static final Logger LOG = LoggerFactory.getLogger(PoisonRecordsIT.class);

  @Test
  void shouldDeadLetterPoisonFromBothConsumersAndStillIndexAndSessionizeEveryValidEvent(EmbeddedOpenSearch os,
      @TempDir Path dir) throws Exception {
    try (FaultStack stack = new FaultStack("poison", dir, 2)) {
      stack.startProxy(null, Map.of());
      Map<String, String> streamsSettings = stack.streamsSettings(dir.resolve("streams-state"), "3s");
      streamsSettings.put("vigil.streams.unknown-schema", "dlq");
      StreamProcessors streams = StreamProcessors.start(StreamsSettings.from(Settings.of(streamsSettings)));
      EventIndexer indexer = EventIndexer.start(IndexerConfig.from(Settings.of(stack.indexerSettings(os.httpUrl()))));
      Poison poison = new Poison(stack.bootstrap());
      try {
        streams.ready().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
        indexer.ready().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        List<String> callers = Load.callers("agent", 4, 2);
        Load load = new Load(stack, callers, 4, 20).start();
        try {
          for (int round = 0; round < 3; round++) {
            load.awaitMore(FaultScale.calls(20), Duration.ofMinutes(5));
            byte[] valid = KafkaLog.readAll(stack.bootstrap(), Topics.EVENTS).get(0).value();
            for (String caller : callers) {
              poison.send("garbage", caller, Poison.garbage(round));
              poison.send("truncated", caller, Poison.truncated(valid));
            }
          }
          load.awaitMore(FaultScale.calls(20), Duration.ofMinutes(5));
        } finally {
          load.finish();
        }
        List<ConsumerRecord<String, byte[]>> all = KafkaLog.readAll(stack.bootstrap(), Topics.EVENTS);
        List<VigilEvent> valid = poison.validEvents(all);
        Reconcile.assertIndexedExactly(new OpenSearchDocs(os.httpUrl()), stack.eventsIndexPrefix() + "-*",
            Reconcile.eventIds(valid), Duration.ofSeconds(60));
        assertDeadLettered(stack, poison.written(), "vigil-indexer", "vigil.dlq.offset", "undecodable");
        assertDeadLettered(stack, poison.written(), "vigil-streams", "vigil.dlq.source.offset", "undecodable");
        Map<String, List<byte[]>> byKey = SessionCheck.eventValuesByKey(poison.valid(all));
        int sessions = SessionCheck.assertChainsVerify(byKey,
            SessionCheck.awaitClosed(stack.bootstrap(), byKey, Duration.ofSeconds(60)), stack.signing.publicKey());
        LOG.info("poison reconciliation: {} records on the events topic, {} poison, {} valid, all indexed; {} sessions "
            + "verified", all.size(), poison.written().size(), valid.size(), sessions);

        // an unknown writer schema: the indexer blocks that partition there, the stream processors dead-letter it
        byte[] template = poison.valid(all).get(0).value();
        Poison.Written unknown = poison.send("unknown-schema", callers.get(0), Poison.unknownFingerprint(template));
        Load after = new Load(stack, callers, 4, 20).start();
        try {
          after.awaitMore(FaultScale.calls(10), Duration.ofMinutes(5));
        } finally {
          after.finish();
        }
        all = KafkaLog.readAll(stack.bootstrap(), Topics.EVENTS);
        Set<String> indexable = all.stream().filter(r -> !poison.isPoison(r))
            .filter(r -> r.partition() != unknown.partition() || r.offset() < unknown.offset())
            .map(r -> KafkaLog.EVENTS.decode(r.value()).getEventId()).collect(Collectors.toCollection(HashSet::new));
        long held = all.stream().filter(r -> r.partition() == unknown.partition() && r.offset() > unknown.offset())
            .count();
        LOG.info("unknown schema at {}-{}@{}: {} later records of that partition held back, {} events indexable",
            Topics.EVENTS, unknown.partition(), unknown.offset(), held, indexable.size());
        assertThat(held).as("valid events after the unknown-schema record in its partition").isPositive();
        assertThat(indexable.size()).as("the other partition's later events are indexable").isGreaterThan(valid.size());
        Reconcile.assertIndexedExactly(new OpenSearchDocs(os.httpUrl()), stack.eventsIndexPrefix() + "-*", indexable,
            Duration.ofSeconds(60));
        assertThat(indexer.stats().blockedPartitions())
            .containsExactly(Topics.EVENTS + "-" + unknown.partition() + "@" + unknown.offset());
        Poll.until("the stream processors dead-lettering the unknown schema", Duration.ofSeconds(30),
            () -> dlq(stack, "vigil-streams").stream().anyMatch(r -> "unknown-schema".equals(
                KafkaLog.header(r, "vigil.dlq.reason-code"))));
        byKey = SessionCheck.eventValuesByKey(poison.valid(all));
        SessionCheck.assertChainsVerify(byKey, SessionCheck.awaitClosed(stack.bootstrap(), byKey,
            Duration.ofSeconds(60)), stack.signing.publicKey());
        assertThat(dlq(stack, "vigil-indexer")).as("the indexer dead-letters no unknown-schema record")
            .hasSize(poison.written().size() - 1);
      } finally {
        poison.close();
        indexer.close();
        streams.close();
      }
    }
  }

  /** Every poison record of {@code written} (but unknown-schema ones) is on the DLQ once from {@code component}. */
  private static void assertDeadLettered(FaultStack stack, List<Poison.Written> written, String component,
      String offsetHeader, String reasonCode) {
    List<Poison.Written> expected = written.stream().filter(w -> !w.kind().equals("unknown-schema")).toList();
    List<ConsumerRecord<String, byte[]>> letters = Poll.until(expected.size() + " dead letters from " + component,
        Duration.ofSeconds(60), () -> {
          List<ConsumerRecord<String, byte[]>> l = dlq(stack, component);
          return l.size() >= expected.size() ? l : null;
        }, () -> "");
    assertThat(letters).hasSize(expected.size()).allSatisfy(r -> {
      assertThat(KafkaLog.header(r, "vigil.dlq.reason-code")).isEqualTo(reasonCode);
      assertThat(KafkaLog.header(r, "vigil.dlq.reason")).startsWith(reasonCode + ": ");
    });
    Set<String> at = letters.stream().map(r -> r.key() + "@" + KafkaLog.header(r, offsetHeader))
        .collect(Collectors.toSet());
    assertThat(at).as("dead letters of %s: key@offset", component).isEqualTo(expected.stream()
        .map(w -> w.key() + "@" + w.offset()).collect(Collectors.toSet()));
  }

  private static List<ConsumerRecord<String, byte[]>> dlq(FaultStack stack, String component) {
    return KafkaLog.readAll(stack.bootstrap(), Topics.DLQ).stream()
        .filter(r -> component.equals(KafkaLog.header(r, "vigil.dlq.component"))).toList();
  }
}

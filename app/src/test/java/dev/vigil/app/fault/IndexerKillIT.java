package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.StreamProcessors;
import dev.vigil.streams.StreamsSettings;

/**
 * The indexer runs as a child JVM ({@code vigil indexer}) and is SIGKILLed mid-load, then started again. OpenSearch
 * must hold exactly what Kafka holds: every event, session and alert once (by id and by count), none lost. The stream
 * processors run in this JVM so that sessions and alerts flow too.
 */
@ExtendWith(OpenSearchExtension.class)
class IndexerKillIT {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerKillIT.class);

  @Test
  void shouldIndexExactlyWhatKafkaHoldsAcrossASigkill(EmbeddedOpenSearch os, @TempDir Path dir) throws Exception {
    try (FaultStack stack = new FaultStack("indexer-kill", dir, 2)) {
      stack.startProxy(null, Map.of());
      StreamProcessors streams = StreamProcessors.start(StreamsSettings.from(Settings.of(
          stack.streamsSettings(dir.resolve("streams-state"), "3s"))));
      ChildService indexer = null;
      try {
        streams.ready().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
        Map<String, String> settings = stack.indexerSettings(os.httpUrl());
        settings.put("vigil.indexer.batch.max-records", "50"); // many small batches: the kill lands between commits
        indexer = ChildService.start("indexer", settings, dir, "indexer-1");
        OpenSearchDocs docs = new OpenSearchDocs(os.httpUrl());
        String events = stack.eventsIndexPrefix() + "-*";
        Load load = new Load(stack, Load.callers("agent", 4, 2), 4, 50).start();
        try {
          load.awaitDone(FaultScale.calls(60), Duration.ofMinutes(5));
          Poll.until("the first indexer writing", Duration.ofSeconds(60),
              () -> docs.count(events) >= FaultScale.calls(100)); // killed while it is busy, not while starting
          long indexedBeforeKill = docs.count(events);
          int callsAtKill = load.done();
          indexer.kill();
          Poll.sleep(2000);
          indexer = ChildService.start("indexer", settings, dir, "indexer-2");
          load.awaitMore(FaultScale.calls(60), Duration.ofMinutes(5));
          LOG.info("indexer killed with {} documents indexed, after {} calls; load stopped after {}", indexedBeforeKill,
              callsAtKill, load.done());
        } finally {
          load.finish();
        }
        List<VigilEvent> kafkaEvents = KafkaLog.events(stack.bootstrap());
        Map<String, List<byte[]>> byKey = SessionCheck.eventValuesByKey(
            KafkaLog.readAll(stack.bootstrap(), dev.vigil.schema.Topics.EVENTS));
        SessionCheck.awaitClosed(stack.bootstrap(), byKey, Duration.ofSeconds(60));
        Map<String, SessionSummary> sessions = SessionCheck.latestSummaries(stack.bootstrap());
        List<Alert> alerts = SessionCheck.alerts(stack.bootstrap());
        LOG.info("indexer reconciliation: Kafka holds {} events, {} sessions, {} alerts", kafkaEvents.size(),
            sessions.size(), alerts.size());
        assertThat(alerts).isNotEmpty();

        Reconcile.assertIndexedExactly(docs, events, Reconcile.eventIds(kafkaEvents), Duration.ofSeconds(60));
        Reconcile.assertIndexedExactly(docs, stack.sessionsIndex(), sessions.keySet(), Duration.ofSeconds(60));
        Reconcile.assertIndexedExactly(docs, stack.alertsIndex(),
            alerts.stream().map(Alert::getAlertId).collect(Collectors.toSet()), Duration.ofSeconds(60));
        // each session document is the newest summary: CLOSED, with the closed summary's event count
        Poll.until("every session document CLOSED", Duration.ofSeconds(30), () -> docs.sources(stack.sessionsIndex())
            .stream().allMatch(d -> "CLOSED".equals(d.path("status").asText())));
        Map<String, Long> indexedCounts = docs.sources(stack.sessionsIndex()).stream().collect(Collectors.toMap(
            d -> d.path("sessionId").asText(), (JsonNode d) -> d.path("eventCount").asLong()));
        Map<String, Long> kafkaCounts = sessions.values().stream().collect(Collectors.toMap(
            SessionSummary::getSessionId, SessionSummary::getEventCount));
        assertThat(indexedCounts).isEqualTo(kafkaCounts);
        assertThat(kafkaCounts.values().stream().mapToLong(Long::longValue).sum())
            .as("the sessions count every event").isEqualTo(Set.copyOf(Reconcile.eventIds(kafkaEvents)).size());
      } finally {
        if (indexer != null) {
          indexer.close();
        }
        streams.close();
      }
    }
  }
}

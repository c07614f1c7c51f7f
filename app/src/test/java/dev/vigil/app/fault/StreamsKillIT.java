package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;

/**
 * The stream processors run as a child JVM ({@code vigil stream-processors}, exactly-once) and are SIGKILLed mid-load,
 * then started again on the same state directory. Their output must be exactly once: every session closes with a
 * summary counting exactly its events in Kafka, the signed chains verify, and no alert is emitted twice.
 */
class StreamsKillIT {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsKillIT.class);
  static final int CALLERS = 4;
  static final int NAMESPACES = 4;

  @Test
  void shouldCloseEverySessionExactlyOnceAndNeverRepeatAnAlertAcrossASigkill(@TempDir Path dir) throws Exception {
    try (FaultStack stack = new FaultStack("streams-kill", dir, 2)) {
      stack.startProxy(null, Map.of());
      Map<String, String> settings = stack.streamsSettings(dir.resolve("streams-state"), "4s");
      ChildService streams = ChildService.start("stream-processors", settings, dir, "streams-1");
      try {
        Load load = new Load(stack, Load.callers("agent", CALLERS, 2), NAMESPACES, 20).start();
        try {
          load.awaitDone(FaultScale.calls(60), Duration.ofMinutes(5));
          Poll.until("a first session summary", Duration.ofSeconds(30),
              () -> !KafkaLog.readAll(stack.bootstrap(), Topics.SESSIONS).isEmpty());
          int before = load.done();
          streams.kill();
          Poll.sleep(2000);
          streams = ChildService.start("stream-processors", settings, dir, "streams-2");
          load.awaitMore(FaultScale.calls(60), Duration.ofMinutes(5));
          LOG.info("stream processors killed after {} calls, restarted after {}", before, load.done());
        } finally {
          load.finish();
        }
        List<ConsumerRecord<String, byte[]>> events = KafkaLog.readAll(stack.bootstrap(), Topics.EVENTS);
        Map<String, List<byte[]>> byKey = SessionCheck.eventValuesByKey(events);
        Map<String, List<SessionSummary>> closed = SessionCheck.awaitClosed(stack.bootstrap(), byKey,
            Duration.ofSeconds(90));
        Map<String, SessionSummary> latest = SessionCheck.latestSummaries(stack.bootstrap());
        List<Alert> alerts = SessionCheck.alerts(stack.bootstrap());
        LOG.info("streams reconciliation: {} events of {} keys in Kafka; {} sessions ({} closed); {} alert records, {} "
            + "distinct alert ids", events.size(), byKey.size(), latest.size(),
            closed.values().stream().mapToInt(List::size).sum(), alerts.size(),
            alerts.stream().map(Alert::getAlertId).distinct().count());

        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(Load.callers("agent", CALLERS, 2));
        assertThat(latest.values()).as("every session closed")
            .allSatisfy(s -> assertThat(s.getStatus()).as(s.getSessionId()).hasToString("CLOSED"));
        SessionCheck.assertChainsVerify(byKey, closed, stack.signing.publicKey());
        assertThat(alerts.stream().map(Alert::getAlertId).toList()).as("no alert emitted twice").doesNotHaveDuplicates();
        // learning period 0: each caller's first namespace is its baseline, each of the others alerts exactly once
        assertThat(alerts).as("first-namespace-access alerts").hasSize(CALLERS * (NAMESPACES - 1))
            .allSatisfy(a -> assertThat(a.getType()).isEqualTo("first-namespace-access"));
        Map<String, Long> perCaller = alerts.stream().collect(Collectors.groupingBy(Alert::getSessionKey,
            Collectors.counting()));
        assertThat(perCaller).as("alerts per caller").hasSize(CALLERS).allSatisfy((k, n) -> assertThat(n)
            .isEqualTo(NAMESPACES - 1));
      } finally {
        streams.close();
      }
    }
  }
}

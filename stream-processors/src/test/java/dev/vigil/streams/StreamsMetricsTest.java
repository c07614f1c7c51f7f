package dev.vigil.streams;

import static dev.vigil.streams.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.ops.VigilMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Records decoded and dead-lettered and alerts raised show in the Prometheus registry. */
class StreamsMetricsTest {

  @TempDir
  Path dir;

  private static double count(PrometheusMeterRegistry registry, String name, String tag, String value) {
    Counter c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void shouldCountRecordsByOutcomeAndAlertsByType() throws Exception {
    PrometheusMeterRegistry registry = VigilMetrics.prometheus();
    double ok = count(registry, StreamsMetrics.RECORDS, "outcome", "ok");
    double dlq = count(registry, StreamsMetrics.RECORDS, "outcome", "dlq");
    double alerts = count(registry, StreamsMetrics.ALERTS, "type", "test-detector");
    try (StreamsFixture f = StreamsFixture.start(dir, events -> events.mapValues(TestEvents::alert))) {
      f.sendRaw("agent-1", "not avro".getBytes(StandardCharsets.UTF_8), new RecordHeaders());
      f.send(TestEvents.get("agent-1", T0));
      f.send(TestEvents.get("agent-1", T0.plusSeconds(1)));
      f.alerts.readValuesToList();
    }

    assertThat(count(registry, StreamsMetrics.RECORDS, "outcome", "ok") - ok).isEqualTo(2);
    assertThat(count(registry, StreamsMetrics.RECORDS, "outcome", "dlq") - dlq).isEqualTo(1);
    assertThat(count(registry, StreamsMetrics.ALERTS, "type", "test-detector") - alerts).isEqualTo(2);
    assertThat(registry.scrape()).contains("vigil_streams_records_total{outcome=\"ok\"}")
        .contains("vigil_streams_alerts_total{type=\"test-detector\"}");
  }
}

package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.llm;
import static dev.vigil.streams.detect.TestEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class DenyBurstDetectorTest {

  private static final DetectorSettings ONLY = DetectorSettings.defaults().only(DetectorSettings.DENY_BURST);

  /** An agent probing: reading secrets namespace by namespace, each denied by the guardrail. */
  private static List<VigilEvent> probes(int n, long startSecond) {
    List<VigilEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(kube("agent-7").session("run-1").call("list", "secrets").ns("ns-" + i)
          .deny("guardrail:secrets-only-in-allowed-namespaces").at(seconds(startSecond + 2L * i)).request());
    }
    return out;
  }

  @Test
  void shouldNotAlertBelowTheThreshold() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      h.pipe(probes(9, 0).toArray(VigilEvent[]::new));
      // allowed calls and responses do not count
      h.pipe(kube("agent-7").session("run-1").call("list", "pods").ns("ns-1").at(seconds(20)).request(),
          kube("agent-7").session("run-1").call("list", "secrets").ns("ns-1").at(seconds(21)).response());
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldAlertOnceWhenTheThresholdIsReached() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> ps = probes(9, 0);
      // the tenth denial is an LLM call denied by the default: every channel counts
      VigilEvent llmDenied = llm("agent-7").session("run-1").deny(null).at(seconds(30)).request();
      h.pipe(ps.toArray(VigilEvent[]::new)).pipe(llmDenied);
      List<Alert> alerts = h.alerts();
      assertThat(alerts).hasSize(1);
      Alert a = alerts.get(0);
      assertThat(a.getType()).isEqualTo("deny-burst");
      assertThat(a.getSeverity()).isEqualTo(Severity.MEDIUM);
      assertThat(a.getSessionKey()).isEqualTo("agent-7/run-1");
      assertThat(a.getEvidenceEventIds()).hasSize(10).contains(llmDenied.getEventId())
          .containsAll(ps.stream().map(VigilEvent::getEventId).toList());
      assertThat(a.getAttributes()).containsEntry("count", "10").containsEntry("decision", "DENY")
          .containsEntry("rules", "default,guardrail:secrets-only-in-allowed-namespaces");
      assertThat(a.getDescription()).contains("agent-7").contains("10 calls denied")
          .contains("guardrail:secrets-only-in-allowed-namespaces \u00d79").contains("list secrets in ns-3");

      h.pipe(probes(5, 40).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldCountOutOfOrderDenialsWithinGrace() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> ps = probes(10, 0);
      h.pipe(ps.get(9), ps.get(3), ps.get(0)).pipe(probes(1, 90).get(0));
      h.pipe(ps.get(1), ps.get(2), ps.get(4), ps.get(5), ps.get(6));
      assertThat(h.alerts()).isEmpty();
      h.pipe(ps.get(8), ps.get(7));
      assertThat(h.alerts()).singleElement()
          .satisfies(a -> assertThat(a.getEvidenceEventIds()).containsExactlyElementsOf(
              ps.stream().map(VigilEvent::getEventId).toList()));
    }
  }

  @Test
  void shouldIgnoreARepeatedEvent() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> ps = probes(9, 0);
      h.pipe(ps.toArray(VigilEvent[]::new)).pipe(ps.get(0));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    try (DetectorHarness h = new DetectorHarness(ONLY.with("deny-burst.enabled", "off"))) {
      h.pipe(probes(30, 0).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
    }
  }
}

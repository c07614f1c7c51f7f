package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.at;
import static dev.vigil.streams.detect.TestEvents.kube;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class FirstNamespaceAccessDetectorTest {

  private static final DetectorSettings ONLY =
      DetectorSettings.defaults().only(DetectorSettings.FIRST_NAMESPACE_ACCESS);

  private static VigilEvent get(String user, String session, String ns, Duration when) {
    return kube(user).session(session).call("get", "pods").ns(ns).name("web-0").at(at(when)).request();
  }

  private static List<Alert> run(DetectorSettings s, VigilEvent... es) {
    try (DetectorHarness h = new DetectorHarness(s)) {
      return h.pipe(es).alerts();
    }
  }

  @Test
  void shouldLearnDuringTheLearningPeriodThenAlertOnceOnANewNamespace() {
    VigilEvent newNs = get("alice", "s3", "payments", Duration.ofHours(25));
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      h.pipe(get("alice", "s1", "team-a", Duration.ZERO), get("alice", "s1", "team-b", Duration.ofHours(2)),
          get("alice", "s2", "team-a", Duration.ofHours(23)), get("alice", "s2", "team-b", Duration.ofHours(24)));
      assertThat(h.alerts()).isEmpty();
      List<KeyValue<String, Alert>> out = h.pipe(newNs).keyedAlerts();
      assertThat(out).singleElement().satisfies(kv -> {
        assertThat(kv.key).isEqualTo("alice/s3");
        Alert a = kv.value;
        assertThat(a.getType()).isEqualTo("first-namespace-access");
        assertThat(a.getSeverity()).isEqualTo(Severity.LOW);
        assertThat(a.getSessionKey()).isEqualTo("alice/s3");
        assertThat(a.getEvidenceEventIds()).containsExactly(newNs.getEventId());
        assertThat(a.getTime()).isEqualTo(newNs.getTime());
        assertThat(a.getAttributes()).containsEntry("namespace", "payments").containsEntry("verb", "get")
            .containsEntry("resource", "pods").containsEntry("baselineSize", "2")
            .containsEntry("baselineSince", "2026-03-02T10:00:00Z");
        assertThat(a.getDescription()).isEqualTo("alice (session alice/s3) accessed namespace payments for the "
            + "first time (get pods web-0); namespaces it used since 2026-03-02T10:00:00Z: team-a, team-b");
      });
      h.pipe(get("alice", "s3", "payments", Duration.ofHours(26)), get("alice", "s4", "payments", Duration.ofHours(27)));
      assertThat(h.alerts()).as("once per identity and namespace").isEmpty();
      h.pipe(get("alice", "s4", "kube-system", Duration.ofHours(28)));
      assertThat(h.alerts()).extracting(Alert::getSeverity).containsExactly(Severity.MEDIUM);
    }
  }

  @Test
  void shouldKeepABaselinePerIdentity() {
    // bob's first event is after alice's learning period, but bob is still learning
    assertThat(run(ONLY, get("alice", "s1", "team-a", Duration.ZERO),
        get("bob", "s1", "team-b", Duration.ofHours(30)), get("bob", "s1", "team-c", Duration.ofHours(31))))
        .isEmpty();
  }

  @Test
  void shouldAlertFromTheSecondNamespaceWithoutLearningPeriod() {
    DetectorSettings s = ONLY.with("first-namespace-access.learning-period", "0");
    List<Alert> alerts = run(s, get("alice", "s1", "team-a", Duration.ZERO),
        get("alice", "s1", "team-a", Duration.ofSeconds(1)), get("alice", "s1", "team-b", Duration.ofSeconds(2)));
    assertThat(alerts).singleElement()
        .satisfies(a -> assertThat(a.getAttributes()).containsEntry("namespace", "team-b"));
  }

  @Test
  void shouldIgnoreDeniedClusterScopedAndAnonymousRequests() {
    assertThat(run(ONLY, get("alice", "s1", "team-a", Duration.ZERO),
        kube("alice").call("get", "secrets").ns("kube-system").name("x").deny("guardrail:secrets")
            .at(at(Duration.ofHours(30))).request(),
        kube("alice").call("list", "nodes").at(at(Duration.ofHours(30))).request(),
        kube("alice").anonymous().call("get", "pods").ns("other").at(at(Duration.ofHours(30))).request(),
        kube("alice").call("get", "pods").ns("other").at(at(Duration.ofHours(30))).response()))
        .isEmpty();
  }

  @Test
  void shouldStartTheLearningPeriodAtTheEarliestEventEvenOutOfOrder() {
    // the first event to arrive is not the earliest: the learning period starts at the earliest event time
    List<Alert> alerts = run(ONLY, get("alice", "s1", "team-a", Duration.ofHours(20)),
        get("alice", "s1", "team-b", Duration.ZERO), get("alice", "s1", "team-c", Duration.ofHours(25)));
    assertThat(alerts).singleElement()
        .satisfies(a -> assertThat(a.getAttributes()).containsEntry("namespace", "team-c"));
  }

  @Test
  void shouldStopAlertingForASaturatedIdentity() {
    DetectorSettings s = ONLY.with("first-namespace-access.max-namespaces", "2")
        .with("first-namespace-access.learning-period", "1h");
    List<Alert> alerts = run(s, get("alice", "s1", "a", Duration.ZERO), get("alice", "s1", "b", Duration.ofHours(2)),
        get("alice", "s1", "c", Duration.ofHours(3)), get("alice", "s1", "d", Duration.ofHours(4)));
    assertThat(alerts).extracting(a -> a.getAttributes().get("namespace")).containsExactly("b");
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    assertThat(run(ONLY.with("first-namespace-access.enabled", "no"), get("alice", "s1", "a", Duration.ZERO),
        get("alice", "s1", "b", Duration.ofHours(30)))).isEmpty();
  }
}

package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class MassDeleteDetectorTest {

  private static final DetectorSettings ONLY = DetectorSettings.defaults().only(DetectorSettings.MASS_DELETE);

  /** n allowed deletes of pods by alice, one per second from T0 + startSecond. */
  private static List<VigilEvent> deletes(String user, int n, long startSecond) {
    List<VigilEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(kube(user).call("delete", "pods").ns("team-a").name("web-" + i).at(seconds(startSecond + i)).request());
    }
    return out;
  }

  @Test
  void shouldNotAlertBelowTheThreshold() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      h.pipe(deletes("alice", 9, 0).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldAlertExactlyOncePerWindowWithTheDeletesAsEvidence() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> ds = deletes("alice", 12, 0);
      ds.add(kube("alice").call("deletecollection", "configmaps").ns("team-a").at(seconds(30)).request());
      h.pipe(ds.subList(0, 9).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
      h.pipe(ds.get(9));
      List<Alert> alerts = h.alerts();
      assertThat(alerts).hasSize(1);
      Alert a = alerts.get(0);
      assertThat(a.getType()).isEqualTo("mass-delete");
      assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
      assertThat(a.getSessionKey()).isEqualTo("alice");
      assertThat(a.getIdentity().getUsername()).isEqualTo("alice");
      assertThat(a.getSessionId()).isNull();
      assertThat(a.getEvidenceEventIds()).containsExactlyElementsOf(
          ds.subList(0, 10).stream().map(VigilEvent::getEventId).toList());
      assertThat(a.getTime()).isEqualTo(seconds(9));
      assertThat(a.getAttributes()).containsEntry("count", "10").containsEntry("threshold", "10")
          .containsEntry("namespaces", "team-a").containsEntry("resources", "pods")
          .containsEntry("windowStart", "2026-03-02T10:00:00Z").containsEntry("windowEnd", "2026-03-02T10:01:00Z");
      assertThat(a.getDescription()).contains("alice").contains("10 delete calls").contains("pods in team-a");

      h.pipe(ds.subList(10, ds.size()).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).as("one alert per window").isEmpty();

      h.pipe(deletes("alice", 10, 60).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).as("the next window alerts again").hasSize(1);
    }
  }

  @Test
  void shouldCountAllowedDeletesOnly() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      h.pipe(deletes("alice", 9, 0).toArray(VigilEvent[]::new));
      h.pipe(kube("alice").call("delete", "pods").ns("team-a").name("x").deny("no-deletes").at(seconds(20)).request(),
          kube("alice").call("get", "pods").ns("team-a").name("x").at(seconds(21)).request(),
          kube("alice").call("delete", "pods").ns("team-a").name("y").at(seconds(22)).response());
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldCountEachSessionKeyApart() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> alice = deletes("alice", 5, 0);
      List<VigilEvent> bob = deletes("bob", 5, 0);
      h.pipe(alice.toArray(VigilEvent[]::new)).pipe(bob.toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldUseTumblingEventTimeWindows() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      // 5 in [10:00, 10:01), 5 in [10:01, 10:02): 10 within 10 seconds, but split by the window boundary
      h.pipe(deletes("alice", 10, 55).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldWindowByEventTimeNotRecordTimestamp() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      // record timestamps all within one second, events one minute apart: not a burst
      long recordTime = seconds(3600).toEpochMilli();
      for (int i = 0; i < 10; i++) {
        h.pipeWithRecordTime(kube("alice").call("delete", "pods").ns("team-a").name("p" + i)
            .at(seconds(60L * i)).request(), recordTime + i);
      }
      assertThat(h.alerts()).isEmpty();
      // and a burst in event time whose record timestamps are spread over an hour is one
      for (int i = 0; i < 10; i++) {
        h.pipeWithRecordTime(kube("bob").call("delete", "pods").ns("team-a").name("p" + i)
            .at(seconds(7200 + i)).request(), recordTime + 360_000L * i);
      }
      assertThat(h.alerts()).extracting(Alert::getSessionKey).containsExactly("bob");
    }
  }

  @Test
  void shouldCountOutOfOrderEventsWithinGrace() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> ds = deletes("alice", 10, 0);
      h.pipe(ds.subList(0, 9).toArray(VigilEvent[]::new));
      // an event of the next window moves event time on by 70 s; the window [10:00,10:01) accepts late events
      // until 10:02 (end + 1 min grace)
      h.pipe(kube("alice").call("get", "pods").ns("team-a").at(seconds(70)).request(),
          kube("alice").call("delete", "pods").ns("team-b").name("z").at(seconds(70)).request());
      assertThat(h.alerts()).isEmpty();
      h.pipe(ds.get(9));
      List<Alert> alerts = h.alerts();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).getEvidenceEventIds()).hasSize(10).contains(ds.get(9).getEventId());
      assertThat(alerts.get(0).getTime()).isEqualTo(seconds(9));
    }
  }

  @Test
  void shouldIgnoreEventsLaterThanTheGrace() {
    try (DetectorHarness h = new DetectorHarness(ONLY.with("mass-delete.grace", "10s"))) {
      List<VigilEvent> ds = deletes("alice", 10, 0);
      h.pipe(ds.subList(0, 9).toArray(VigilEvent[]::new));
      h.pipe(kube("alice").call("delete", "pods").ns("team-b").name("z").at(seconds(75)).request());
      h.pipe(ds.get(9));
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldHonourTheConfiguredThresholdAndWindow() {
    DetectorSettings s = ONLY.with("mass-delete.threshold", "3").with("vigil.streams.detect.mass-delete.window", "10m");
    try (DetectorHarness h = new DetectorHarness(s)) {
      h.pipe(kube("alice").call("delete", "pods").ns("a").name("1").at(seconds(0)).request(),
          kube("alice").call("delete", "pods").ns("a").name("2").at(seconds(200)).request());
      assertThat(h.alerts()).isEmpty();
      h.pipe(kube("alice").call("delete", "pods").ns("a").name("3").at(seconds(500)).request());
      assertThat(h.alerts()).singleElement().satisfies(a -> {
        assertThat(a.getEvidenceEventIds()).hasSize(3);
        assertThat(a.getAttributes()).containsEntry("window", "PT10M");
      });
    }
  }

  @Test
  void shouldGiveTheSameAlertIdWhenReprocessed() {
    List<VigilEvent> ds = deletes("alice", 10, 0);
    String first;
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      first = h.pipe(ds.toArray(VigilEvent[]::new)).alerts().get(0).getAlertId();
    }
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      assertThat(h.pipe(ds.toArray(VigilEvent[]::new)).alerts().get(0).getAlertId()).isEqualTo(first);
    }
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<VigilEvent> other = deletes("alice", 10, 60);
      assertThat(h.pipe(other.toArray(VigilEvent[]::new)).alerts().get(0).getAlertId()).isNotEqualTo(first);
    }
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    DetectorSettings s = DetectorSettings.defaults().with("mass-delete.enabled", "false");
    try (DetectorHarness h = new DetectorHarness(s)) {
      h.pipe(deletes("alice", 20, 0).toArray(VigilEvent[]::new));
      assertThat(h.alerts()).noneMatch(a -> a.getType().equals("mass-delete"));
    }
  }
}

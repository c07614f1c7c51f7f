package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.at;
import static dev.vigil.streams.detect.TestEvents.fp;
import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.llm;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.VigilEvent;

class DetectorsTest {

  private static final String PW = fp("db password");

  /** An agent session that trips most detectors: an exec into kube-system, a Secret read sent to the LLM... */
  private static List<VigilEvent> incident() {
    return List.of(
        kube("agent").session("r1").call("list", "pods").ns("team-a").at(at(Duration.ZERO)).request(),
        kube("agent").session("r1").call("create", "pods/exec").ns("kube-system").name("etcd-0")
            .query("command=sh").at(at(Duration.ofHours(25))).request(),
        kube("agent").session("r1").call("get", "secrets").ns("team-a").name("db").at(at(Duration.ofHours(26)))
            .body("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"team-a\"},"
                + "\"data\":{\"password\":\"masked:k8s-secret:" + PW + "\"}}")
            .finding("k8s-secret", "data.password", PW).response(),
        llm("agent").session("r2").at(at(Duration.ofHours(26).plusMinutes(1)))
            .finding("generic-secret", "messages[3].content@9", PW).request(),
        kube("agent").session("r1").group("rbac.authorization.k8s.io").call("create", "clusterrolebindings")
            .at(at(Duration.ofHours(26).plusMinutes(2)))
            .body("{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"agent\"}]}").request());
  }

  @Test
  void shouldRunEveryDetectorOnOneTopologyWithAlertsKeyedBySessionKey() {
    try (DetectorHarness h = new DetectorHarness(DetectorSettings.defaults())) {
      List<Alert> alerts = h.pipe(incident().toArray(VigilEvent[]::new)).alerts(); // alerts() checks the keys
      assertThat(alerts).extracting(Alert::getType).containsExactlyInAnyOrder("exec-into-pod",
          "first-namespace-access", "secret-leakage", "cross-channel-exfiltration", "privilege-escalation");
      assertThat(alerts).extracting(Alert::getSessionId).containsOnlyNulls();
      assertThat(alerts).extracting(Alert::getAlertId).doesNotHaveDuplicates();
      assertThat(alerts).filteredOn(a -> a.getType().equals("cross-channel-exfiltration"))
          .extracting(Alert::getSessionKey).containsExactly("agent/r2");
    }
  }

  @Test
  void shouldEmitNothingWhenEveryDetectorIsOff() {
    DetectorSettings off = DetectorSettings.defaults();
    for (String name : DetectorSettings.NAMES) {
      off = off.with(name + ".enabled", "false");
    }
    try (DetectorHarness h = new DetectorHarness(off)) {
      assertThat(h.pipe(incident().toArray(VigilEvent[]::new)).alerts()).isEmpty();
    }
  }

  @Test
  void shouldNameStoresAndInternalTopicsAfterTheirDetector() {
    try (DetectorHarness h = new DetectorHarness(DetectorSettings.defaults())) {
      String topology = h.topology.describe().toString();
      assertThat(topology).contains("detect-secret-leakage-repeats", "detect-mass-delete-windows",
          "detect-deny-burst-windows", "detect-first-namespace-access-baseline",
          "detect-cross-channel-exfiltration-reads", "detect-cross-channel-exfiltration-uses",
          "detect-cross-channel-exfiltration-by-identity-repartition",
          "detect-cross-channel-exfiltration-alerts-repartition",
          "detect-first-namespace-access-by-identity-repartition",
          "detect-first-namespace-access-alerts-repartition");
      // every processor of the detectors is named (only the harness's own source and sink are not)
      assertThat(topology.replaceAll("KSTREAM-(SOURCE|SINK)-\\d+", "")).doesNotContain("KSTREAM-");
    }
  }
}

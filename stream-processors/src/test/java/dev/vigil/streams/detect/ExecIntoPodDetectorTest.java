package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class ExecIntoPodDetectorTest {

  private static final DetectorSettings ONLY = DetectorSettings.defaults().only(DetectorSettings.EXEC_INTO_POD);

  private static VigilEvent exec(String ns, String verb) {
    return kube("alice").session("s1").call(verb, "pods/exec").ns(ns).name("web-0")
        .query("command=%2Fbin%2Fsh&command=-c&command=echo%20hunter2-password&container=app&stdin=true&tty=true")
        .allow("ops-exec").at(seconds(5)).request();
  }

  @Test
  void shouldAlertMediumOnExecIntoAPod() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      VigilEvent e = exec("team-a", "create");
      List<Alert> alerts = h.pipe(e).alerts();
      assertThat(alerts).singleElement().satisfies(a -> {
        assertThat(a.getType()).isEqualTo("exec-into-pod");
        assertThat(a.getSeverity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.getSessionKey()).isEqualTo("alice/s1");
        assertThat(a.getEvidenceEventIds()).containsExactly(e.getEventId());
        assertThat(a.getTime()).isEqualTo(e.getTime());
        assertThat(a.getAttributes()).containsEntry("namespace", "team-a").containsEntry("name", "web-0")
            .containsEntry("resource", "pods").containsEntry("subresource", "exec").containsEntry("verb", "create")
            .containsEntry("container", "app").containsEntry("command", "sh").containsEntry("decision", "ALLOW")
            .containsEntry("policyRule", "ops-exec");
        assertThat(a.getDescription()).contains("alice").contains("exec into pod team-a/web-0")
            .contains("container app").contains("running sh");
        // the command's arguments are never reported: they may carry secrets
        assertThat(a.toString()).doesNotContain("hunter2");
      });
    }
  }

  @Test
  void shouldAlertHighInASensitiveNamespaceAndOnAttach() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      VigilEvent attach = kube("alice").call("get", "pods/attach").ns("team-a").name("web-0").request();
      h.pipe(exec("kube-system", "get"), attach);
      assertThat(h.alerts()).extracting(Alert::getSeverity).containsExactly(Severity.HIGH, Severity.MEDIUM);
    }
  }

  @Test
  void shouldIgnoreDeniedExecAndOtherSubresources() {
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      h.pipe(kube("alice").call("create", "pods/exec").ns("kube-system").name("etcd-0")
              .deny("guardrail:no-exec-kube-system").request(),
          kube("alice").call("get", "pods/log").ns("team-a").name("web-0").request(),
          kube("alice").call("get", "pods").ns("team-a").name("web-0").request(),
          kube("alice").call("create", "pods/exec").ns("team-a").name("web-0").response());
      assertThat(h.alerts()).isEmpty();
    }
  }

  @Test
  void shouldHonourConfiguredNamespacesAndSubresources() {
    DetectorSettings s = ONLY.with("exec-into-pod.sensitive-namespaces", "prod, payments")
        .with("exec-into-pod.subresources", "exec,portforward");
    try (DetectorHarness h = new DetectorHarness(s)) {
      h.pipe(exec("kube-system", "create"), exec("payments", "create"),
          kube("alice").call("get", "pods/portforward").ns("team-a").name("db-0").request(),
          kube("alice").call("get", "pods/attach").ns("team-a").name("db-0").request());
      assertThat(h.alerts()).extracting(Alert::getSeverity)
          .containsExactly(Severity.MEDIUM, Severity.HIGH, Severity.MEDIUM);
    }
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    try (DetectorHarness h = new DetectorHarness(ONLY.with("exec-into-pod.enabled", "false"))) {
      assertThat(h.pipe(exec("kube-system", "create")).alerts()).isEmpty();
    }
  }
}

package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real kubectl 1.32 reading from kube-sim: get, watch, logs, discovery, auth. */
class KubectlReadIT extends KubectlFixture {

  @Test
  void shouldListNamespaces() {
    Kubectl.Result r = kubectl.run("get", "ns");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("NAME", "STATUS", "AGE").contains("default", "payments", "kube-system")
        .contains("Active");
  }

  @Test
  void shouldListPodsOfANamespaceAsATable() {
    Kubectl.Result r = kubectl.run("get", "pods", "-n", "payments");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout().lines().findFirst().orElseThrow()).contains("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(r.stdout()).contains(POD).contains("1/1").contains("Running").doesNotContain("coredns");
  }

  @Test
  void shouldListPodsOfAllNamespaces() {
    Kubectl.Result r = kubectl.run("get", "pods", "-A");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).startsWith("NAMESPACE").contains("kube-system", "coredns-").contains("payments", POD);
  }

  @Test
  void shouldGetOnePodAsJson() throws Exception {
    Kubectl.Result r = kubectl.run("get", "pod", POD, "-n", "payments", "-o", "json");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode pod = Json.MAPPER.readTree(r.stdout());
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("metadata").path("name").asText()).isEqualTo(POD);
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(pod.path("status").path("podIP").asText()).startsWith("10.244.");
    assertThat(pod.path("spec").path("nodeName").asText()).isNotEmpty();
  }

  @Test
  void shouldPrintNotFoundForAMissingConfigMap() {
    Kubectl.Result r = kubectl.run("get", "configmap", "missing");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("NotFound").contains("configmaps \"missing\" not found");
  }

  @Test
  void shouldStreamWatchEventsOfAPodCreatedMeanwhile() throws Exception {
    try (Kubectl.Streaming watch = kubectl.stream("get", "pods", "-w", "-n", "payments")) {
      watch.awaitLine(l -> l.contains(POD), Duration.ofSeconds(20));
      store().apply("""
          apiVersion: v1
          kind: Pod
          metadata: {name: watched-pod, namespace: payments}
          spec:
            containers: [{name: c, image: busybox}]
          """);
      String line = watch.awaitLine(l -> l.contains("watched-pod"), Duration.ofSeconds(20));
      assertThat(line).contains("Running");
    }
  }

  @Test
  void shouldPrintAndFollowPodLogs() throws Exception {
    Kubectl.Result r = kubectl.run("logs", POD, "-n", "payments");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("starting " + POD).contains("ready");
    Kubectl.Result tail = kubectl.run("logs", POD, "-n", "payments", "--tail=1");
    assertThat(tail.stdout().lines()).hasSize(1);
    try (Kubectl.Streaming follow = kubectl.stream("logs", "-f", POD, "-n", "payments")) {
      assertThat(follow.awaitLine(l -> l.contains("heartbeat 2"), Duration.ofSeconds(20))).contains(POD);
    }
  }

  @Test
  void shouldListApiResources() {
    Kubectl.Result r = kubectl.run("api-resources");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("namespaces", "ns").contains("deployments", "deploy", "apps/v1")
        .contains("rolebindings", "rbac.authorization.k8s.io/v1").contains("configmaps", "cm");
  }

  @Test
  void shouldReportTheServerVersion() {
    Kubectl.Result r = kubectl.run("version");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("Server Version: v1.32.0-kube-sim");
  }

  @Test
  void shouldAnswerWhoAmIWithTheImpersonatedUser() {
    Kubectl.Result r = kubectl.run("auth", "whoami", "--as", "alice@example.com", "--as-group", "payments-oncall");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("alice@example.com").contains("payments-oncall");
    assertThat(sim.requests()).anySatisfy(req -> {
      assertThat(req.header("Impersonate-User")).isEqualTo("alice@example.com");
      assertThat(req.headers("Impersonate-Group")).containsExactly("payments-oncall");
      assertThat(req.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    });
  }

  @Test
  void shouldRejectAWrongToken() throws Exception {
    Path other = Files.createDirectories(dir.resolve("wrong-token"));
    Kubectl.Result r = new Kubectl(other, sim.url(), caPem, "not-the-token").run("get", "ns");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("the server has asked for the client to provide credentials");
  }

}

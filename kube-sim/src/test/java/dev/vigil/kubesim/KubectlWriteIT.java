package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Real kubectl 1.32 writing to kube-sim: create (protobuf), apply, label, delete, scale, rollout. */
class KubectlWriteIT extends KubectlFixture {

  @Test
  void shouldCreateAConfigMapSentAsProtobuf() {
    Kubectl.Result r = kubectl.run("create", "configmap", "from-proto", "--from-literal=a=b", "-n", "payments");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("configmap/from-proto created");
    assertThat(store().get("configmaps", "payments", "from-proto")).hasValueSatisfying(cm ->
        assertThat(cm.path("data").path("a").asText()).isEqualTo("b"));
    assertThat(sim.requests()).anySatisfy(req -> {
      assertThat(req.method()).isEqualTo("POST");
      assertThat(req.path()).isEqualTo("/api/v1/namespaces/payments/configmaps");
      assertThat(req.header("Content-Type")).startsWith("application/vnd.kubernetes.protobuf");
    });
  }

  @Test
  void shouldCreateASecretWithBase64Data() {
    Kubectl.Result r = kubectl.run("create", "secret", "generic", "s1", "--from-literal=p=q", "-n", "payments");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("secret/s1 created");
    ObjectNode secret = store().get("secrets", "payments", "s1").orElseThrow();
    assertThat(secret.path("type").asText()).isEqualTo("Opaque");
    assertThat(secret.path("data").path("p").asText())
        .isEqualTo(Base64.getEncoder().encodeToString("q".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldReportAlreadyExistsOnSecondCreate() {
    assertThat(kubectl.run("create", "configmap", "twice", "-n", "payments").exitCode()).isZero();
    Kubectl.Result again = kubectl.run("create", "configmap", "twice", "-n", "payments");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr()).contains("configmaps \"twice\" already exists");
  }

  @Test
  void shouldApplyAManifestThenApplyAChange() throws Exception {
    Path file = dir.resolve("checkout.yaml");
    Files.writeString(file, manifest("blue", 2, "nginx:1.27"));
    Kubectl.Result created = kubectl.run("apply", "-f", file.toString());
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    assertThat(created.stdout()).contains("configmap/checkout-config created", "deployment.apps/checkout created");

    Files.writeString(file, manifest("green", 3, "nginx:1.28"));
    Kubectl.Result changed = kubectl.run("apply", "-f", file.toString());
    assertThat(changed.exitCode()).as(changed.stderr()).isZero();
    assertThat(changed.stdout()).contains("configmap/checkout-config configured", "deployment.apps/checkout configured");
    assertThat(store().get("configmaps", "payments", "checkout-config").orElseThrow().path("data").path("mode").asText())
        .isEqualTo("green");
    ObjectNode deploy = store().get("deployments", "payments", "checkout").orElseThrow();
    assertThat(deploy.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(deploy.path("spec").path("template").path("spec").path("containers")).hasSize(1);
    assertThat(deploy.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
        .isEqualTo("nginx:1.28");

    Kubectl.Result unchanged = kubectl.run("apply", "-f", file.toString(), "--validate=false");
    assertThat(unchanged.exitCode()).as(unchanged.stderr()).isZero();
    assertThat(unchanged.stdout()).contains("configmap/checkout-config unchanged", "deployment.apps/checkout unchanged");

    Files.writeString(file, manifest("red", 1, "nginx:1.28"));
    Kubectl.Result noValidation = kubectl.run("apply", "-f", file.toString(), "--validate=false");
    assertThat(noValidation.exitCode()).as(noValidation.stderr()).isZero();
    assertThat(noValidation.stdout()).contains("configmap/checkout-config configured");
    assertThat(store().get("deployments", "payments", "checkout").orElseThrow().path("spec").path("replicas").asInt())
        .isEqualTo(1);
  }

  private static String manifest(String mode, int replicas, String image) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: checkout-config, namespace: payments}
        data: {mode: %s}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: checkout, namespace: payments, labels: {app: checkout}}
        spec:
          replicas: %d
          selector: {matchLabels: {app: checkout}}
          template:
            metadata: {labels: {app: checkout}}
            spec:
              containers: [{name: app, image: "%s"}]
        """.formatted(mode, replicas, image);
  }

  @Test
  void shouldLabelAndAnnotateAPod() {
    Kubectl.Result r = kubectl.run("label", "pod", POD, "-n", "payments", "audited=true");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("pod/" + POD + " labeled");
    Kubectl.Result a = kubectl.run("annotate", "pod", POD, "-n", "payments", "vigil.dev/note=seen");
    assertThat(a.exitCode()).as(a.stderr()).isZero();
    ObjectNode pod = store().get("pods", "payments", POD).orElseThrow();
    assertThat(pod.path("metadata").path("labels").path("audited").asText()).isEqualTo("true");
    assertThat(pod.path("metadata").path("annotations").path("vigil.dev/note").asText()).isEqualTo("seen");
    Kubectl.Result selected = kubectl.run("get", "pods", "-A", "-l", "audited=true", "-o", "name");
    assertThat(selected.stdout().trim()).isEqualTo("pod/" + POD);
  }

  @Test
  void shouldDeleteAConfigMap() {
    ObjectNode cm = Json.object();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", "doomed").put("namespace", "payments");
    store().create(cm);
    Kubectl.Result r = kubectl.run("delete", "configmap", "doomed", "-n", "payments");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("configmap \"doomed\" deleted");
    assertThat(store().get("configmaps", "payments", "doomed")).isEmpty();
  }

  @Test
  void shouldScaleADeployment() {
    Kubectl.Result r = kubectl.run("scale", "deployment", "ledger-worker", "-n", "payments", "--replicas=3");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(store().get("deployments", "payments", "ledger-worker").orElseThrow().path("spec").path("replicas")
        .asInt()).isEqualTo(3);
    assertThat(kubectl.run("get", "pods", "-n", "payments", "-l", "app=ledger-worker", "-o", "name").stdout().lines())
        .hasSize(3);
    assertThat(kubectl.run("rollout", "status", "deployment/ledger-worker", "-n", "payments").stdout())
        .contains("successfully rolled out");
  }

  @Test
  void shouldReplaceADeletedPodOfADeployment() {
    String victim = firstPod(sim, "kube-system", "k8s-app=kube-dns");
    Kubectl.Result r = kubectl.run("delete", "pod", victim, "-n", "kube-system");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Kubectl.Result pods = kubectl.run("get", "pods", "-n", "kube-system", "-l", "k8s-app=kube-dns", "-o", "name");
    assertThat(pods.stdout().lines()).hasSize(1).noneMatch(l -> l.contains(victim));
  }

  @Test
  void shouldRollOutAndRollBackAnImageChange() {
    Kubectl.Result set = kubectl.run("set", "image", "deployment/coredns", "-n", "kube-system",
        "coredns=registry.k8s.io/coredns/coredns:v1.12.0");
    assertThat(set.exitCode()).as(set.stderr()).isZero();
    assertThat(kubectl.run("get", "pods", "-n", "kube-system", "-o",
        "jsonpath={.items[*].spec.containers[0].image}").stdout()).isEqualTo("registry.k8s.io/coredns/coredns:v1.12.0");
    Kubectl.Result undo = kubectl.run("rollout", "undo", "deployment/coredns", "-n", "kube-system");
    assertThat(undo.exitCode()).as(undo.stderr()).isZero();
    assertThat(kubectl.run("rollout", "history", "deployment/coredns", "-n", "kube-system").stdout())
        .contains("2 ", "3 ");
    assertThat(kubectl.run("get", "pods", "-n", "kube-system", "-o",
        "jsonpath={.items[*].spec.containers[0].image}").stdout()).isEqualTo("registry.k8s.io/coredns/coredns:v1.11.3");
  }

}

package dev.vigil.kubesim.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkloadControllerTest {

  private ObjectStore store;

  @BeforeEach
  void setUp() {
    store = new ObjectStore(ResourceRegistry.builtin());
    store.apply("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}");
  }

  private void deploy(int replicas, String image) {
    store.apply("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: %d
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: "%s"}]}
        """.formatted(replicas, image));
  }

  private List<ObjectNode> pods() {
    return store.list("pods", "shop").stream()
        .filter(p -> p.path("metadata").path("labels").path("app").asText().equals("web")).toList();
  }

  @Test
  void shouldCreateAReplicaSetAndRunningPodsForADeployment() {
    deploy(3, "nginx:1");
    assertThat(store.list("replicasets", "shop")).singleElement().satisfies(rs ->
        assertThat(rs.path("metadata").path("ownerReferences").get(0).path("kind").asText()).isEqualTo("Deployment"));
    assertThat(pods()).hasSize(3).allSatisfy(p -> {
      assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
      assertThat(p.path("metadata").path("name").asText()).startsWith("web-");
      assertThat(p.path("metadata").path("labels").has("pod-template-hash")).isTrue();
    });
  }

  @Test
  void shouldScaleAndReplaceDeletedPods() {
    deploy(2, "nginx:1");
    deploy(4, "nginx:1");
    assertThat(pods()).hasSize(4);
    String victim = pods().get(0).path("metadata").path("name").asText();
    store.delete("pods", "shop", victim);
    assertThat(pods()).hasSize(4).noneMatch(p -> p.path("metadata").path("name").asText().equals(victim));
    deploy(1, "nginx:1");
    assertThat(pods()).hasSize(1);
  }

  @Test
  void shouldRollOutANewTemplateAndKeepTheOldReplicaSetAtZero() {
    deploy(2, "nginx:1");
    deploy(2, "nginx:2");
    assertThat(store.list("replicasets", "shop")).hasSize(2)
        .extracting(rs -> rs.path("spec").path("replicas").asInt()).containsExactlyInAnyOrder(0, 2);
    assertThat(pods()).hasSize(2).allSatisfy(p ->
        assertThat(p.path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx:2"));
    assertThat(store.get("deployments", "shop", "web").orElseThrow().path("metadata").path("annotations")
        .path("deployment.kubernetes.io/revision").asText()).isEqualTo("2");
  }

  @Test
  void shouldDeleteDependentsWithTheDeployment() {
    deploy(2, "nginx:1");
    store.delete("deployments", "shop", "web");
    assertThat(store.list("replicasets", "shop")).isEmpty();
    assertThat(pods()).isEmpty();
  }

  @Test
  void shouldDoNothingWhenDisabled() {
    ObjectStore plain = new ObjectStore(ResourceRegistry.builtin(), false);
    plain.apply("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}");
    plain.apply("""
        {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop},
         spec: {replicas: 2, selector: {matchLabels: {app: web}},
                template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}}}
        """);
    assertThat(plain.list("pods", "shop")).isEmpty();
  }

  @Test
  void shouldHashEqualTemplatesEqually() {
    assertThat(WorkloadController.canonical(Json.object().put("b", 1).put("a", 2).putNull("c")))
        .isEqualTo(WorkloadController.canonical(Json.object().put("a", 2).put("b", 1)));
    assertThat(WorkloadController.hash("x")).hasSize(10).matches("[bcdfghjklmnpqrstvwxz2456789]+");
  }
}

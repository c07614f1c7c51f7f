package dev.vigil.kubesim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.DemoSeed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {

  private ObjectStore store;
  private ResourceType configmaps;

  @BeforeEach
  void setUp() {
    store = new ObjectStore(ResourceRegistry.builtin());
    configmaps = store.registry().require("cm");
    store.apply("{apiVersion: v1, kind: Namespace, metadata: {name: payments}}");
  }

  private static ObjectNode configMap(String name, String key, String value) {
    ObjectNode cm = Json.object();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", name);
    cm.putObject("data").put(key, value);
    return cm;
  }

  private static int code(Throwable e) {
    return ((StatusException) e).code();
  }

  @Test
  void shouldFillMetadataOnCreate() {
    ObjectNode created = store.create(configmaps, "payments", configMap("a", "k", "v"));
    ObjectNode meta = (ObjectNode) created.get("metadata");
    assertThat(meta.path("uid").asText()).hasSize(36);
    assertThat(meta.path("namespace").asText()).isEqualTo("payments");
    assertThat(meta.path("creationTimestamp").asText()).endsWith("Z");
    assertThat(meta.path("generation").asLong()).isEqualTo(1);
    assertThat(Long.parseLong(meta.path("resourceVersion").asText())).isEqualTo(store.resourceVersion());
  }

  @Test
  void shouldIncreaseResourceVersionOnEveryWrite() {
    long before = store.resourceVersion();
    store.create(configmaps, "payments", configMap("a", "k", "v"));
    store.update(configmaps, "payments", "a", configMap("a", "k", "w"));
    store.delete(configmaps, "payments", "a");
    assertThat(store.resourceVersion()).isEqualTo(before + 3);
  }

  @Test
  void shouldRefuseDuplicatesAndMissingNamespaces() {
    store.create(configmaps, "payments", configMap("a", "k", "v"));
    assertThatThrownBy(() -> store.create(configmaps, "payments", configMap("a", "k", "v")))
        .hasMessage("configmaps \"a\" already exists").satisfies(e -> assertThat(code(e)).isEqualTo(409));
    assertThatThrownBy(() -> store.create(configmaps, "nope", configMap("b", "k", "v")))
        .hasMessage("namespaces \"nope\" not found").satisfies(e -> assertThat(code(e)).isEqualTo(404));
  }

  @Test
  void shouldRejectAnUpdateWithAStaleResourceVersion() {
    ObjectNode created = store.create(configmaps, "payments", configMap("a", "k", "v"));
    store.update(configmaps, "payments", "a", configMap("a", "k", "w"));
    ObjectNode stale = configMap("a", "k", "x");
    ((ObjectNode) stale.get("metadata")).set("resourceVersion", created.path("metadata").get("resourceVersion"));
    assertThatThrownBy(() -> store.update(configmaps, "payments", "a", stale))
        .satisfies(e -> assertThat(((StatusException) e).reason()).isEqualTo("Conflict"))
        .hasMessageContaining("the object has been modified");
  }

  @Test
  void shouldKeepTheResourceVersionOnANoOpUpdate() {
    ObjectNode created = store.create(configmaps, "payments", configMap("a", "k", "v"));
    ObjectNode same = store.update(configmaps, "payments", "a", configMap("a", "k", "v"));
    assertThat(same.path("metadata").path("resourceVersion")).isEqualTo(created.path("metadata").path("resourceVersion"));
  }

  @Test
  void shouldMergeStringDataIntoBase64Data() {
    ObjectNode secret = store.apply("""
        {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: payments},
         data: {a: YQ==}, stringData: {b: hello}}
        """).get(0);
    assertThat(secret.has("stringData")).isFalse();
    assertThat(secret.path("data").path("a").asText()).isEqualTo("YQ==");
    assertThat(secret.path("data").path("b").asText()).isEqualTo("aGVsbG8=");
    assertThat(secret.path("type").asText()).isEqualTo("Opaque");
  }

  @Test
  void shouldGenerateNames() {
    ObjectNode cm = configMap(null, "k", "v");
    ((ObjectNode) cm.get("metadata")).remove("name");
    ((ObjectNode) cm.get("metadata")).put("generateName", "job-");
    assertThat(store.create(configmaps, "payments", cm).path("metadata").path("name").asText()).matches("job-[a-z0-9]{5}");
  }

  @Test
  void shouldRejectInvalidNames() {
    assertThatThrownBy(() -> store.create(configmaps, "payments", configMap("Bad_Name", "k", "v")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(422));
  }

  @Test
  void shouldDeleteTheContentOfADeletedNamespace() {
    store.create(configmaps, "payments", configMap("a", "k", "v"));
    store.delete("namespaces", null, "payments");
    assertThat(store.list(configmaps, null)).isEmpty();
    assertThat(store.get("ns", null, "payments")).isEmpty();
  }

  @Test
  void shouldDefaultPodsToRunning() {
    ObjectNode pod = store.apply("""
        {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: payments},
         spec: {containers: [{name: c, image: "nginx:1.27"}]}}
        """).get(0);
    assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(pod.path("status").path("podIP").asText()).startsWith("10.244.");
    assertThat(pod.path("spec").path("nodeName").asText()).isNotEmpty();
    assertThat(pod.path("status").path("containerStatuses").get(0).path("ready").asBoolean()).isTrue();
  }

  @Test
  void shouldReplayInitialStateThenLiveEvents() {
    store.create(configmaps, "payments", configMap("a", "k", "v"));
    List<String> events = new ArrayList<>();
    Runnable cancel = store.watch(configmaps, "payments", null,
        e -> events.add(e.type() + " " + e.object().path("metadata").path("name").asText()));
    store.create(configmaps, "payments", configMap("b", "k", "v"));
    store.delete(configmaps, "payments", "a");
    cancel.run();
    store.create(configmaps, "payments", configMap("c", "k", "v"));
    assertThat(events).containsExactly("ADDED a", "ADDED b", "DELETED a");
  }

  @Test
  void shouldReplayEventsAfterAResourceVersion() {
    store.create(configmaps, "payments", configMap("a", "k", "v"));
    String rv = Long.toString(store.resourceVersion());
    store.update(configmaps, "payments", "a", configMap("a", "k", "w"));
    List<String> events = new ArrayList<>();
    store.watch(configmaps, null, rv, e -> events.add(e.type() + " " + e.object().path("data").path("k").asText())).run();
    assertThat(events).containsExactly("MODIFIED w");
  }

  @Test
  void shouldSeedTheDemoCluster() {
    DemoSeed.apply(store);
    assertThat(store.list("namespaces", null)).extracting(n -> n.path("metadata").path("name").asText())
        .contains("default", "payments", "kube-system");
    assertThat(store.list("pods", "payments")).isNotEmpty()
        .allSatisfy(p -> assertThat(p.path("status").path("phase").asText()).isEqualTo("Running"));
    assertThat(store.list("secrets", "payments")).isNotEmpty();
    assertThat(store.list("deployments", null)).isNotEmpty();
    assertThat(store.list("roles", "payments")).isNotEmpty();
    assertThat(store.list("rolebindings", "payments")).isNotEmpty();
    DemoSeed.apply(store);
  }
}

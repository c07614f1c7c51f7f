package dev.vigil.proxy.impl;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.proxy.CapturedLogs;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.KubernetesRequestInfo;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** Label lookups against kube-sim (a real Kubernetes API over TLS) and a silent server, with an injectable clock. */
class LabelLookupTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static UpstreamTarget target;

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<LabelLookup> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    target = UpstreamTarget.fromKubeconfig(fx.upstreamKubeconfig);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void clear() {
    fx.kubeSim.clearRequests();
  }

  @AfterEach
  void closeLookups() throws Exception {
    for (LabelLookup l : opened) {
      await(l.close());
    }
  }

  private LabelLookup lookup(UpstreamTarget t, String token, Duration ttl, int maxEntries, Duration timeout) {
    LabelLookup l = new LabelLookup(fx.vertx, t, () -> token == null ? null : "Bearer " + token, ttl, maxEntries,
        timeout, clock::get);
    opened.add(l);
    return l;
  }

  private LabelLookup lookup(Duration ttl, int maxEntries) {
    return lookup(target, GatewayFixture.GATEWAY_TOKEN, ttl, maxEntries, Duration.ofSeconds(2));
  }

  private List<RecordedRequest> gets(String path) {
    return fx.kubeSim.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals(path)).toList();
  }

  private static KubernetesRequestInfo info(String group, String version, String resource, String subresource,
      String namespace, String name) {
    return KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb("get").setApiGroup(group)
        .setApiVersion(version).setResource(resource).setSubresource(subresource).setNamespace(namespace)
        .setName(name).build();
  }

  @Test
  void shouldReadNamespaceLabelsWithTheGatewaysOwnCredentialAskingForMetadataOnly() throws Exception {
    LabelLookup l = lookup(Duration.ofSeconds(5), 100);

    assertThat(await(l.namespaceLabels("payments"))).containsEntry("env", "prod").containsEntry("team", "payments")
        .containsEntry("compliance", "pci");
    assertThat(await(l.namespaceLabels("default"))).doesNotContainKey("env");

    RecordedRequest seen = gets("/api/v1/namespaces/payments").get(0);
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(seen.header("Accept")).startsWith("application/json;as=PartialObjectMetadata");
    assertThat(seen.hasHeader("Impersonate-User")).isFalse();
    assertThat(l.requests()).isEqualTo(2);
    assertThat(l.failures()).isZero();
  }

  @Test
  void shouldReadTheParentObjectsLabelsForASubresource() throws Exception {
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: lookup-parent, namespace: default, labels: {protected: "true", app: x}}
        data: {k: v}
        """);
    LabelLookup l = lookup(Duration.ofSeconds(5), 100);

    Map<String, String> labels = await(l.objectLabels(info("", "v1", "configmaps", "status", "default", "lookup-parent")));

    assertThat(labels).containsExactlyInAnyOrderEntriesOf(Map.of("protected", "true", "app", "x"));
    assertThat(gets("/api/v1/namespaces/default/configmaps/lookup-parent")).hasSize(1);
  }

  @Test
  void shouldBuildTheObjectPathWithoutSubresource() {
    assertThat(LabelLookup.objectPath(info("", "v1", "pods", "exec", "payments", "api-0")))
        .isEqualTo("/api/v1/namespaces/payments/pods/api-0");
    assertThat(LabelLookup.objectPath(info("apps", "v1", "deployments", "scale", "payments", "api")))
        .isEqualTo("/apis/apps/v1/namespaces/payments/deployments/api");
    assertThat(LabelLookup.objectPath(info("rbac.authorization.k8s.io", "v1", "clusterroles", null, null, "view")))
        .isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    assertThat(LabelLookup.objectPath(info("", "v1", "namespaces", "finalize", "payments", "payments")))
        .as("the Namespace object is cluster-scoped").isEqualTo("/api/v1/namespaces/payments");
    assertThat(LabelLookup.objectPath(info("", "v1", "configmaps", null, "default", "a?b#c d/%")))
        .isEqualTo("/api/v1/namespaces/default/configmaps/a%3Fb%23c%20d%2F%25");
    assertThat(LabelLookup.objectPath(info("", "v1", "configmaps", null, "default", null))).isNull();
    assertThat(LabelLookup.namespacePath("payments")).isEqualTo("/api/v1/namespaces/payments");
  }

  @Test
  void shouldReuseLabelsUntilTheTtlExpires() throws Exception {
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: lookup-ttl, namespace: default, labels: {stage: one}}
        """);
    LabelLookup l = lookup(Duration.ofSeconds(5), 100);
    KubernetesRequestInfo cm = info("", "v1", "configmaps", null, "default", "lookup-ttl");

    assertThat(await(l.objectLabels(cm))).containsEntry("stage", "one");
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: lookup-ttl, namespace: default, labels: {stage: two}}
        """);
    clock.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertThat(await(l.objectLabels(cm))).as("within the TTL: cached").containsEntry("stage", "one");
    assertThat(l.cacheHits()).isEqualTo(1);
    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(await(l.objectLabels(cm))).as("TTL over: looked up again").containsEntry("stage", "two");

    assertThat(gets("/api/v1/namespaces/default/configmaps/lookup-ttl")).hasSize(2);
    assertThat(l.requests()).isEqualTo(2);
  }

  @Test
  void shouldNotCacheWithAZeroTtl() throws Exception {
    LabelLookup l = lookup(Duration.ZERO, 100);

    await(l.namespaceLabels("payments"));
    await(l.namespaceLabels("payments"));

    assertThat(gets("/api/v1/namespaces/payments")).hasSize(2);
    assertThat(l.size()).isZero();
  }

  @Test
  void shouldBoundTheCacheEvictingTheLeastRecentlyUsed() throws Exception {
    LabelLookup l = lookup(Duration.ofMinutes(1), 2);

    await(l.namespaceLabels("payments"));
    await(l.namespaceLabels("default"));
    await(l.namespaceLabels("payments")); // hit: payments is now the most recently used
    await(l.namespaceLabels("kube-system")); // evicts default
    assertThat(l.size()).isEqualTo(2);
    await(l.namespaceLabels("payments"));
    await(l.namespaceLabels("default"));

    assertThat(gets("/api/v1/namespaces/payments")).hasSize(1);
    assertThat(gets("/api/v1/namespaces/default")).hasSize(2);
    assertThat(l.cacheHits()).isEqualTo(2);
  }

  @Test
  void shouldShareOneRequestBetweenConcurrentLookupsAndCompleteOnEachCallersContext() throws Exception {
    LabelLookup l = lookup(Duration.ZERO, 100); // no caching: only the in-flight request is shared
    Context[] contexts = twoContextsOnDifferentThreads();
    Context first = contexts[0];
    Context second = contexts[1];
    CompletableFuture<Boolean> onFirst = new CompletableFuture<>();
    CompletableFuture<Boolean> onSecond = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> firstLabels = new CompletableFuture<>();
    CompletableFuture<Void> secondStarted = new CompletableFuture<>();

    // the first lookup starts on its context and cannot complete before that context's task ends, which waits until
    // the second lookup (on another context) has joined it
    first.runOnContext(v -> {
      l.namespaceLabels("payments").onComplete(ar -> {
        onFirst.complete(Vertx.currentContext() == first);
        firstLabels.complete(ar.result());
      });
      second.runOnContext(w -> {
        l.namespaceLabels("payments").onComplete(ar -> onSecond.complete(Vertx.currentContext() == second));
        secondStarted.complete(null);
      });
      secondStarted.join();
    });

    assertThat(firstLabels.get(10, TimeUnit.SECONDS)).containsEntry("env", "prod");
    assertThat(onFirst.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(onSecond.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gets("/api/v1/namespaces/payments")).hasSize(1);
    assertThat(l.requests()).isEqualTo(1);
  }

  @Test
  void shouldLeaveLabelsUnknownAndUncachedWhenTheUpstreamRefusesWarningOncePerCause() throws Exception {
    String wrongToken = "not-the-gateway-token-71c2";
    LabelLookup l = lookup(target, wrongToken, Duration.ofMinutes(1), 100, Duration.ofSeconds(2));

    try (CapturedLogs logs = new CapturedLogs()) {
      assertThat(await(l.namespaceLabels("payments"))).isNull();
      assertThat(await(l.namespaceLabels("payments"))).isNull();
      assertThat(await(l.namespaceLabels("default"))).isNull();

      assertThat(gets("/api/v1/namespaces/payments")).as("failures are not cached").hasSize(2);
      assertThat(l.failures()).isEqualTo(3);
      assertThat(l.size()).isZero();
      List<String> warnings = logs.lines().stream().filter(s -> s.contains("label lookup") && s.contains("HTTP 401"))
          .filter(s -> s.contains("labels unknown, so label selectors match for deny rules")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(logs.all()).doesNotContain(wrongToken).doesNotContain(GatewayFixture.GATEWAY_TOKEN);
    }
  }

  @Test
  void shouldLeaveLabelsUnknownForAMissingObject() throws Exception {
    LabelLookup l = lookup(Duration.ofMinutes(1), 100);

    assertThat(await(l.objectLabels(info("", "v1", "configmaps", null, "default", "no-such-map")))).isNull();
    assertThat(await(l.namespaceLabels("no-such-namespace"))).isNull();

    assertThat(gets("/api/v1/namespaces/default/configmaps/no-such-map")).hasSize(1);
    assertThat(gets("/api/v1/namespaces/no-such-namespace")).hasSize(1);
    assertThat(l.failures()).isEqualTo(2);
  }

  @Test
  void shouldGiveUpAfterTheTimeout() throws Exception {
    HttpServer silent = await(fx.vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1"));
    try {
      UpstreamTarget quiet = UpstreamTarget.fromKubeconfig(writeKubeconfig("http://127.0.0.1:" + silent.actualPort()));
      LabelLookup l = lookup(quiet, "t", Duration.ofMinutes(1), 100, Duration.ofMillis(300));
      long t0 = System.nanoTime();

      Map<String, String> labels = await(l.namespaceLabels("payments"));

      assertThat(labels).isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250))
          .isLessThan(Duration.ofSeconds(5));
      assertThat(l.failures()).isEqualTo(1);
      assertThat(l.size()).isZero();
    } finally {
      await(silent.close());
    }
  }

  @Test
  void shouldReadLabelsFromAnObjectTreeFailingClosedOnMalformedOnes() {
    assertThat(LabelLookup.labelsOf(tree("{\"metadata\":{\"labels\":{\"a\":\"1\"}}}"))).isEqualTo(Map.of("a", "1"));
    assertThat(LabelLookup.labelsOf(tree("{\"metadata\":{\"name\":\"x\"}}"))).isEmpty();
    assertThat(LabelLookup.labelsOf(tree("{\"kind\":\"ConfigMap\"}"))).isEmpty();
    assertThat(LabelLookup.labelsOf(tree("{\"metadata\":{\"labels\":{\"a\":1}}}"))).isNull();
    assertThat(LabelLookup.labelsOf(tree("{\"metadata\":{\"labels\":[\"a\"]}}"))).isNull();
    assertThat(LabelLookup.labelsOf(tree("{\"metadata\":\"x\"}"))).isNull();
    assertThat(LabelLookup.labelsOf(tree("[{\"op\":\"add\"}]"))).isNull();
    assertThat(LabelLookup.labelsOf(null)).isNull();
  }

  private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Path writeKubeconfig(String server) throws Exception {
    String ca = Base64.getEncoder().encodeToString(fx.pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    Path p = dir.resolve("lookup-" + System.nanoTime() + ".kubeconfig");
    Files.writeString(p, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + server
        + "\n    certificate-authority-data: " + ca + "\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n"
        + "- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n");
    return p;
  }

  /** Two event-loop contexts running on different threads (so one may block while the other runs). */
  private static Context[] twoContextsOnDifferentThreads() throws Exception {
    Context a = newContext();
    Thread ta = threadOf(a);
    for (int i = 0; i < 16; i++) {
      Context b = newContext();
      if (b != a && threadOf(b) != ta) {
        return new Context[] {a, b};
      }
    }
    throw new AssertionError("no two Vert.x contexts on different event loops");
  }

  /** A new event-loop context (a plain thread keeps the context created for it, so ask from a fresh one). */
  private static Context newContext() throws Exception {
    CompletableFuture<Context> c = new CompletableFuture<>();
    Thread t = new Thread(() -> c.complete(fx.vertx.getOrCreateContext()));
    t.start();
    t.join();
    return c.get(10, TimeUnit.SECONDS);
  }

  private static Thread threadOf(Context c) throws Exception {
    CompletableFuture<Thread> t = new CompletableFuture<>();
    c.runOnContext(v -> t.complete(Thread.currentThread()));
    return t.get(10, TimeUnit.SECONDS);
  }
}

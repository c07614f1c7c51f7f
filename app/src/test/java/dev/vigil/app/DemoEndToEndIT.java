package dev.vigil.app;

import static dev.vigil.app.DemoKubectl.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.app.DemoKubectl.Proc;
import dev.vigil.common.Settings;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * The foundation's promise, end to end in one JVM: the real kubectl binary talks to the proxy, the proxy records to
 * a real Kafka broker, the indexer writes to a real OpenSearch node, and the query API finds the request.
 */
class DemoEndToEndIT {

  private static Path dir;
  private static Demo demo;
  private static Demo.Endpoints ep;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startDemo() throws IOException {
    dir = Files.createTempDirectory("vigil-demo-it");
    demo = Demo.start(Settings.of(Map.of(
        "vigil.demo.dir", dir.toString(),
        "vigil.demo.kafka.port", "0",
        "vigil.demo.opensearch.port", "0",
        "vigil.demo.oidc.port", "0",
        "vigil.demo.proxy.port", "0",
        "vigil.demo.query.port", "0",
        // sessions close 6 s after the agent's last call, so one test can verify a closed, signed session
        "vigil.streams.session.inactivity-gap", "5s",
        "vigil.streams.session.grace", "1s",
        "vigil.streams.session.update-interval", "1s")));
    ep = demo.endpoints();
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void shouldFindAKubectlRequestThroughTheQueryApi() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "pods", "-n", "payments");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.stdout()).contains("NAME");

    // the demo agent's test also lists payments pods, in its own session (agent-1/e2e-agent): look at agent-1's
    JsonObject found = awaitEvents("namespace=payments&verb=list&sessionKey=agent-1", events -> events.stream()
        .anyMatch(e -> "response".equals(e.getString("type")) && Integer.valueOf(200).equals(e.getInteger("status"))));
    JsonObject response = found.getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> "response".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(response.getString("sessionKey")).isEqualTo("agent-1");
    assertThat(response.getJsonObject("k8s").getString("namespace")).isEqualTo("payments");
    assertThat(response.getJsonObject("k8s").getString("resource")).isEqualTo("pods");
    assertThat(response.getJsonObject("identity").getJsonArray("groups")).contains("ai-agents");
    assertThat(response.encode()).doesNotContain(ep.agentToken());
  }

  @Test
  void shouldRecordAProtobufCreateAsSearchableJson() throws Exception {
    // kubectl sends create bodies as Kubernetes protobuf; the recording holds them as JSON text, findable by content.
    String name = "e2e-cm-" + System.nanoTime();
    Proc create = kubectl(ep.kubeconfig(), "create", "configmap", name, "--from-literal=colour=teal", "-n", "payments");
    assertThat(create.exit()).as(create.toString()).isZero();
    JsonObject found = awaitEvents("q=" + name + "&verb=create", events -> events.stream()
        .anyMatch(e -> "request".equals(e.getString("type"))));
    JsonObject request = found.getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> "request".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(request.getJsonObject("body").getString("encoding")).isEqualTo("TEXT");
    assertThat(request.getJsonObject("body").getString("content")).contains("\"colour\":\"teal\"");
  }

  @Test
  void shouldDenyWhatThePolicyForbidsWithA403NamingTheRule() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "secrets", "-n", "kube-system");
    assertThat(get.exit()).isNotZero();
    assertThat(get.stderr()).contains("Forbidden").contains("guardrail:secrets-only-in-allowed-namespaces");
    assertThat(demo.kubeSim().requests()).noneMatch(r -> r.path().equals("/api/v1/namespaces/kube-system/secrets"));
    awaitEvents("namespace=kube-system&resource=secrets", events -> events.stream()
        .anyMatch(e -> e.getJsonObject("decision") != null && "DENY".equals(e.getJsonObject("decision").getString("effect"))
            && "guardrail:secrets-only-in-allowed-namespaces".equals(e.getJsonObject("decision").getString("ruleId"))));
  }

  @Test
  void shouldNeverStoreSecretValuesOnlyTheirFingerprints() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "secret", "payments-db", "-n", "payments", "-o", "json");
    assertThat(get.exit()).as(get.toString()).isZero();
    JsonObject data = new JsonObject(get.stdout()).getJsonObject("data");
    assertThat(data).isNotNull();
    assertThat(data.isEmpty()).isFalse();
    JsonObject found = awaitEvents("namespace=payments&resource=secrets&verb=get", events -> events.stream()
        .anyMatch(e -> "response".equals(e.getString("type")) && e.getJsonObject("body") != null));
    String recorded = found.encode();
    assertThat(recorded).contains("masked:k8s-secret:");
    for (String key : data.fieldNames()) {
      String b64 = data.getString(key);
      String plain = new String(java.util.Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
      assertThat(recorded).doesNotContain(b64);
      if (plain.length() < 10) {
        continue; // e.g. username "payments": also the namespace's name, so its presence proves nothing
      }
      assertThat(recorded).doesNotContain(plain);
      JsonObject hits = awaitJson("/api/v1/events?q=" + enc("\"" + plain + "\""), body -> true);
      assertThat(hits.getLong("total")).as("full-text search for a secret value").isZero();
    }
  }

  @Test
  void shouldRecordAStrictExecBeforeRunningIt() throws Exception {
    String pod = demo.kubeSim().store().list("pods", "payments").stream()
        .map(p -> p.path("metadata").path("name").asText()).filter(n -> n.startsWith("payments-api")).findFirst().orElseThrow();
    Proc exec = kubectl(ep.kubeconfig(), "exec", "-n", "payments", pod, "--", "env");
    assertThat(exec.exit()).as(exec.toString()).isZero();
    assertThat(exec.stdout()).contains("DB_PASSWORD=");
    JsonObject found = awaitEvents("namespace=payments&resource=pods", events -> events.stream()
        .anyMatch(e -> e.getJsonObject("decision") != null && Boolean.TRUE.equals(e.getJsonObject("decision").getBoolean("strict"))
            && "agents-logs-exec-payments".equals(e.getJsonObject("decision").getString("ruleId"))));
    assertThat(found.encode()).doesNotContain("s3cr3t-p@ssw0rd");
    // the env output (an EXEC frame) carried the database password: only its fingerprint may be searchable
    awaitEvents("q=DB_PASSWORD", events -> events.stream().anyMatch(e -> e.getJsonObject("frame") != null));
    assertThat(awaitJson("/api/v1/events?q=" + enc("\"s3cr3t-p@ssw0rd\""), body -> true).getLong("total")).isZero();
  }

  @Test
  void shouldListTheSessionInSequenceOrder() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "configmaps", "-n", "default");
    assertThat(get.exit()).as(get.toString()).isZero();
    JsonObject session = awaitJson("/api/v1/sessions/agent-1/events", body -> body.getJsonArray("events") != null
        && body.getJsonArray("events").stream().map(JsonObject.class::cast)
            .anyMatch(e -> e.getJsonObject("k8s") != null && "configmaps".equals(e.getJsonObject("k8s").getString("resource"))));
    List<Long> sequence = new ArrayList<>();
    session.getJsonArray("events").forEach(o -> sequence.add(((JsonObject) o).getLong("sequence")));
    assertThat(sequence).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void shouldPublishTheAgentsOpenSessionOnTheSessionsTopic() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "services", "-n", "default");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(DemoStreams.publicKey(dir)).exists();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ep.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.SESSIONS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          SessionSummary s = VigilSerdes.sessions().decode(r.value());
          if (s.getSessionKey().equals("agent-1") && s.getCountsByResource().containsKey("services")) {
            assertThat(r.key()).isEqualTo(s.getSessionId()).startsWith("agent-1#");
            assertThat(s.getStatus()).as("the first summary of a session is an OPEN update").isEqualTo(SessionStatus.OPEN);
            assertThat(s.getHeadDigest()).hasSize(64);
            return;
          }
        }
      }
    }
    throw new AssertionError("no OPEN session of agent-1 counting 'services' on " + Topics.SESSIONS);
  }

  @Test
  void shouldRaiseAlertsForAnExecAndForADenyBurstStampedWithTheSession() throws Exception {
    String pod = demo.kubeSim().store().list("pods", "payments").stream()
        .map(p -> p.path("metadata").path("name").asText()).filter(n -> n.startsWith("payments-api")).findFirst().orElseThrow();
    Proc exec = kubectl(ep.kubeconfig(), "exec", "-n", "payments", pod, "--", "uname");
    assertThat(exec.exit()).as(exec.toString()).isZero();
    for (int i = 0; i < 10; i++) { // the guardrail keeps agents out of secrets outside payments
      assertThat(kubectl(ep.kubeconfig(), "get", "secret", "probe-" + i, "-n", "default").stderr()).contains("Forbidden");
    }
    java.util.Set<String> types = new java.util.HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ep.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "e2e-alerts-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.ALERTS));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !types.containsAll(List.of("exec-into-pod", "deny-burst"))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          dev.vigil.schema.Alert a = VigilSerdes.alerts().decode(r.value());
          if ("agent-1".equals(a.getSessionKey())) {
            assertThat(a.getSessionId()).as("stamped by the sessionizer").startsWith("agent-1#");
            assertThat(a.getEvidenceEventIds()).isNotEmpty();
            assertThat(a.getDescription()).doesNotContain("s3cr3t-p@ssw0rd");
            types.add(a.getType());
          }
        }
      }
    }
    assertThat(types).contains("exec-into-pod", "deny-burst");
  }

  @Test
  void shouldVerifyAClosedSessionEndToEnd() throws Exception {
    Proc get = kubectl(ep.kubeconfig(), "get", "serviceaccounts", "-n", "payments");
    assertThat(get.exit()).as(get.toString()).isZero();
    // the streams chain and sign the session; the indexer stores every event's raw record; the query API re-verifies
    JsonObject found = awaitJson("/api/v1/sessions?identity=agent-1&status=CLOSED&resource=serviceaccounts",
        body -> body.getJsonArray("sessions") != null && !body.getJsonArray("sessions").isEmpty(), 60);
    String sessionId = found.getJsonArray("sessions").getJsonObject(0).getString("sessionId");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ep.queryUrl() + "/api/v1/sessions/"
        + enc(sessionId) + "/verify")).POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + ep.analystTokenValue()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject verdict = new JsonObject(r.body());
    assertThat(verdict.getBoolean("verified")).as(verdict.encodePrettily()).isTrue();
    assertThat(verdict.getBoolean("signatureValid")).isTrue();
    assertThat(verdict.getString("computedHead")).isEqualTo(verdict.getString("headDigest"));
  }

  @Test
  void shouldRejectAnInvalidTokenWithoutForwardingAndRecordTheAttempt() throws Exception {
    Path bad = dir.resolve("bad-kubeconfig");
    Kubeconfigs.write(bad, "vigil-demo", ep.proxyUrl(), Files.readString(ep.caCert()), "mallory", "not-a-jwt");
    Proc get = kubectl(bad, "get", "secrets", "-n", "kube-system");
    assertThat(get.exit()).isNotZero();
    assertThat(get.stderr()).contains("Unauthorized");
    assertThat(demo.kubeSim().requests())
        .as("nothing reaches the Kubernetes API without a valid token")
        .noneMatch(r -> r.path().contains("/namespaces/kube-system/secrets"));
    awaitJson("/api/v1/sessions/anonymous/events", body -> body.getJsonArray("events") != null
        && body.getJsonArray("events").stream().map(JsonObject.class::cast)
            .anyMatch(e -> Integer.valueOf(401).equals(e.getInteger("status"))
                && e.getString("path", "").endsWith("/namespaces/kube-system/secrets")));
  }

  @Test
  void shouldShowANonAnalystTokenOnlyItsOwnEvents() throws Exception {
    kubectl(ep.kubeconfig(), "get", "pods", "-n", "payments");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ep.queryUrl() + "/api/v1/events?size=500"))
        .header("Authorization", "Bearer " + ep.agentToken()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonArray("events").stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("identity").getString("username"))).allMatch("agent-1"::equals);
    HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(ep.queryUrl()
            + "/api/v1/sessions/anonymous/events")).header("Authorization", "Bearer " + ep.agentToken()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldWireLlmSimAsTheGatewaysLlmUpstreamWithAKeyOnlyTheGatewayReads() throws Exception {
    Path key = dir.resolve("gateway").resolve("llm-provider.key");
    assertThat(Files.getPosixFilePermissions(key)).containsOnly(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    HttpRequest.Builder models = HttpRequest.newBuilder(URI.create(ep.llmSimUrl() + "/v1/models"))
        .header("anthropic-version", "2023-06-01");
    assertThat(HTTP.send(models.header("x-api-key", ep.agentToken()).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).as("the agent's token is no provider key").isEqualTo(401);
    assertThat(Files.readString(ep.agentTokenFile()).strip()).isEqualTo(ep.agentToken());

    // Through the gateway: needs the proxy's /llm/anthropic route (issue 7, proxy side); until then this part is skipped.
    assumeTrue(DemoLlmChecks.proxyHasLlmRoute(ep), "the proxy has no LLM route yet");
    DemoLlmChecks.AgentRun run = DemoLlmChecks.demoAgent("--dir", dir.toString(), "--session", "e2e-agent");
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("REFUSED by Vigil (403 permission_error)");
  }

  private static JsonObject awaitEvents(String query, java.util.function.Predicate<List<JsonObject>> done) throws Exception {
    return awaitJson("/api/v1/events?" + query, body -> {
      JsonArray events = body.getJsonArray("events");
      if (events == null) {
        return false;
      }
      List<JsonObject> list = new ArrayList<>();
      events.forEach(o -> list.add((JsonObject) o));
      return done.test(list);
    });
  }

  private static JsonObject awaitJson(String pathAndQuery, java.util.function.Predicate<JsonObject> done) throws Exception {
    return awaitJson(pathAndQuery, done, 30);
  }

  private static JsonObject awaitJson(String pathAndQuery, java.util.function.Predicate<JsonObject> done, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ep.queryUrl() + pathAndQuery))
          .header("Authorization", "Bearer " + ep.analystTokenValue()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        last = new JsonObject(r.body());
        if (done.test(last)) {
          return last;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Query " + pathAndQuery + " never matched; last answer: " + last);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

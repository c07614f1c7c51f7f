package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.store.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP-level behaviour of kube-sim (plain HTTP, token auth on), without kubectl. */
class KubeSimHttpIT {

  private static final String TOKEN = "t0ken";
  private static Vertx vertx;
  private static KubeSim sim;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = KubeSim.start(vertx, new KubeSimOptions().setTokens(List.of(TOKEN)).setSeedDemo(true)).await();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    client.close();
    sim.close().await();
    vertx.close().await();
  }

  private static HttpRequest<Buffer> req(io.vertx.core.http.HttpMethod method, String uri) {
    return client.request(method, sim.port(), "127.0.0.1", uri).putHeader("Authorization", "Bearer " + TOKEN);
  }

  private static HttpResponse<Buffer> get(String uri) {
    return req(io.vertx.core.http.HttpMethod.GET, uri).send().await();
  }

  private static HttpResponse<Buffer> send(io.vertx.core.http.HttpMethod method, String uri, String contentType,
      String body) {
    return req(method, uri).putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)).await();
  }

  private static JsonNode json(HttpResponse<Buffer> r) throws Exception {
    return Json.MAPPER.readTree(r.bodyAsString());
  }

  @Test
  void shouldRejectRequestsWithoutAValidTokenWithAStatus() throws Exception {
    HttpResponse<Buffer> r = client.get(sim.port(), "127.0.0.1", "/api/v1/pods").send().await();
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(json(r).path("kind").asText()).isEqualTo("Status");
    assertThat(json(r).path("reason").asText()).isEqualTo("Unauthorized");
    assertThat(client.get(sim.port(), "127.0.0.1", "/healthz").send().await().bodyAsString()).isEqualTo("ok");
  }

  @Test
  void shouldServeDiscovery() throws Exception {
    assertThat(json(get("/version?timeout=32s")).path("gitVersion").asText()).startsWith("v1.32");
    assertThat(json(get("/api")).path("versions").get(0).asText()).isEqualTo("v1");
    JsonNode groups = json(get("/apis"));
    assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(groups.path("groups").findValuesAsText("name")).contains("apps", "rbac.authorization.k8s.io");
    JsonNode core = json(get("/api/v1"));
    assertThat(core.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(core.path("resources").findValuesAsText("name")).contains("pods", "pods/log", "pods/exec", "namespaces");
    JsonNode apps = json(get("/apis/apps/v1"));
    assertThat(apps.path("resources").findValuesAsText("name")).contains("deployments", "deployments/scale");
    assertThat(json(get("/apis/apps")).path("kind").asText()).isEqualTo("APIGroup");
    assertThat(json(get("/openapi/v3")).path("paths").has("apis/apps/v1")).isTrue();
    assertThat(get("/openapi/v2").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldAnswerErrorsWithStatusObjects() throws Exception {
    HttpResponse<Buffer> missing = get("/api/v1/namespaces/payments/configmaps/x");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(json(missing)).isEqualTo(Json.MAPPER.readTree("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" not found",
         "reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"""));
    HttpResponse<Buffer> unsupported = send(io.vertx.core.http.HttpMethod.POST,
        "/api/v1/namespaces/payments/configmaps", "text/csv", "a,b");
    assertThat(unsupported.statusCode()).isEqualTo(415);
    HttpResponse<Buffer> notAllowed = send(io.vertx.core.http.HttpMethod.POST,
        "/api/v1/namespaces/payments/configmaps/x", "application/json", "{}");
    assertThat(notAllowed.statusCode()).isEqualTo(405);
    HttpResponse<Buffer> noNamespace = send(io.vertx.core.http.HttpMethod.POST, "/api/v1/namespaces/nope/configmaps",
        "application/json", "{\"metadata\":{\"name\":\"a\"}}");
    assertThat(noNamespace.statusCode()).isEqualTo(404);
    assertThat(json(noNamespace).path("message").asText()).isEqualTo("namespaces \"nope\" not found");
    assertThat(get("/apis/apps/v1/namespaces/payments/widgets").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldCreateUpdateWithConflictCheckPatchAndDelete() throws Exception {
    String base = "/api/v1/namespaces/payments/configmaps";
    HttpResponse<Buffer> created = send(io.vertx.core.http.HttpMethod.POST, base, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"crud\"},\"data\":{\"a\":\"1\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    String rv = json(created).path("metadata").path("resourceVersion").asText();
    assertThat(send(io.vertx.core.http.HttpMethod.POST, base, "application/json",
        "{\"metadata\":{\"name\":\"crud\"}}").statusCode()).isEqualTo(409);

    HttpResponse<Buffer> updated = send(io.vertx.core.http.HttpMethod.PUT, base + "/crud", "application/json",
        "{\"metadata\":{\"name\":\"crud\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"a\":\"2\"}}");
    assertThat(updated.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> stale = send(io.vertx.core.http.HttpMethod.PUT, base + "/crud", "application/json",
        "{\"metadata\":{\"name\":\"crud\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"a\":\"3\"}}");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale).path("reason").asText()).isEqualTo("Conflict");

    send(io.vertx.core.http.HttpMethod.PATCH, base + "/crud", "application/merge-patch+json",
        "{\"data\":{\"b\":\"x\"}}");
    send(io.vertx.core.http.HttpMethod.PATCH, base + "/crud", "application/json-patch+json",
        "[{\"op\":\"remove\",\"path\":\"/data/a\"}]");
    HttpResponse<Buffer> patched = send(io.vertx.core.http.HttpMethod.PATCH, base + "/crud",
        "application/strategic-merge-patch+json", "{\"metadata\":{\"labels\":{\"l\":\"v\"}}}");
    assertThat(json(patched).path("data")).isEqualTo(Json.object().put("b", "x"));
    assertThat(json(patched).path("metadata").path("labels").path("l").asText()).isEqualTo("v");

    HttpResponse<Buffer> deleted = req(io.vertx.core.http.HttpMethod.DELETE, base + "/crud").send().await();
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(get(base + "/crud").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldListWithSelectorsAndListMetadata() throws Exception {
    JsonNode list = json(get("/api/v1/pods?labelSelector=app%3Dpayments-api"));
    assertThat(list.path("kind").asText()).isEqualTo("PodList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(Long.parseLong(list.path("metadata").path("resourceVersion").asText())).isPositive();
    assertThat(list.path("items")).hasSize(2);
    String pod = KubectlFixture.firstPod(sim, "payments", "app=payments-api");
    JsonNode byName = json(get("/api/v1/namespaces/payments/pods?fieldSelector=metadata.name%3D" + pod));
    assertThat(byName.path("items")).hasSize(1);
    JsonNode table = json(req(io.vertx.core.http.HttpMethod.GET, "/api/v1/namespaces/payments/pods")
        .putHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io, application/json").send().await());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name")).startsWith("Name", "Ready", "Status");
  }

  @Test
  void shouldStreamWatchEventsUntilTheTimeout() throws Exception {
    Future<HttpResponse<Buffer>> watch = req(io.vertx.core.http.HttpMethod.GET,
        "/api/v1/namespaces/payments/configmaps?watch=true&timeoutSeconds=2").send();
    Thread.sleep(500);
    sim.store().apply("{apiVersion: v1, kind: ConfigMap, metadata: {name: live, namespace: payments}}");
    HttpResponse<Buffer> r = watch.await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    List<JsonNode> events = r.bodyAsString().lines().map(l -> {
      try {
        return Json.MAPPER.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
    assertThat(events).allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("ADDED"));
    assertThat(events).extracting(e -> e.path("object").path("metadata").path("name").asText())
        .contains("payments-config", "live");
  }

  @Test
  void shouldServePodLogsAsText() {
    String pod = KubectlFixture.firstPod(sim, "payments", "app=payments-api");
    HttpResponse<Buffer> r = get("/api/v1/namespaces/payments/pods/" + pod + "/log?tailLines=2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("text/plain");
    assertThat(r.bodyAsString().lines()).hasSize(2);
  }

  @Test
  void shouldScaleThroughTheScaleSubresource() throws Exception {
    String scale = "/apis/apps/v1/namespaces/payments/deployments/payments-api/scale";
    assertThat(json(get(scale)).path("spec").path("replicas").asInt()).isEqualTo(2);
    send(io.vertx.core.http.HttpMethod.PATCH, scale, "application/merge-patch+json", "{\"spec\":{\"replicas\":5}}");
    assertThat(sim.store().get("deployments", "payments", "payments-api").orElseThrow()
        .path("status").path("readyReplicas").asInt()).isEqualTo(5);
    assertThat(sim.store().list("pods", "payments")).filteredOn(p -> p.path("metadata").path("labels")
        .path("app").asText().equals("payments-api")).hasSize(5);
    send(io.vertx.core.http.HttpMethod.PATCH, scale, "application/merge-patch+json", "{\"spec\":{\"replicas\":2}}");
  }

  @Test
  void shouldRecordForwardedHeaders() {
    sim.clearRequests();
    req(io.vertx.core.http.HttpMethod.GET, "/api/v1/namespaces?limit=500")
        .putHeader("Impersonate-User", "alice").putHeader("Impersonate-Group", List.of("devs", "ops")).send().await();
    assertThat(sim.requests()).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.path()).isEqualTo("/api/v1/namespaces");
      assertThat(r.query()).isEqualTo("limit=500");
      assertThat(r.header("impersonate-user")).isEqualTo("alice");
      assertThat(r.headers("Impersonate-Group")).containsExactly("devs", "ops");
      assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    });
  }
}

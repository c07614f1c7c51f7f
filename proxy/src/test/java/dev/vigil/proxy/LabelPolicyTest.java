package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.codec.KubeContent;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.Effect;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * {@code namespaceLabels} and {@code objectLabels} rules through the gateway against kube-sim: labels looked up with the
 * gateway's own credential, read from a create's body, and unknown (fail closed) when the lookup fails.
 */
class LabelPolicyTest {

  static final String POLICY = """
      defaultEffect: deny
      rules:
        - id: protected-objects
          effect: deny
          reason: protected objects are read-only for agents
          verbs: [create, update, patch, delete]
          resources: [configmaps]
          objectLabels: {protected: "true"}
        - id: frozen-services
          effect: deny
          reason: frozen services are off limits
          resources: [services]
          objectLabels: {frozen: "true"}
        - id: no-exec-into-payments-api
          effect: deny
          reason: no exec into the payments API
          resources: [pods]
          subresources: [exec]
          objectLabels: {app: payments-api}
        - id: read-prod
          effect: allow
          verbs: [get, list]
          resources: [pods, services, namespaces]
          namespaceLabels: {env: prod}
        - id: configmaps-in-default
          effect: allow
          verbs: [get, create, patch, delete]
          resources: [configmaps]
          namespaces: [default]
      """;

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    // no caching: every test sees its own lookups (LabelLookupTest covers the cache)
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.POLICY_LABEL_CACHE_TTL, "0s")), sink);
    token = fx.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  @Test
  void shouldAllowInANamespaceWithTheLabelAndDenyByDefaultElsewhere() throws Exception {
    HttpResponse<Buffer> prod = get(fx.client(), "/api/v1/namespaces/payments/pods");
    HttpResponse<Buffer> other = get(fx.client(), "/api/v1/namespaces/kube-system/pods");

    assertThat(prod.statusCode()).isEqualTo(200);
    assertThat(decision("/api/v1/namespaces/payments/pods").getRuleId()).isEqualTo("read-prod");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.bodyAsJsonObject().getString("message")).contains("rule default");
    PolicyDecision denied = decision("/api/v1/namespaces/kube-system/pods");
    assertThat(denied.getEffect()).isEqualTo(Effect.DENY);
    assertThat(denied.getRuleId()).isNull(); // the default decided
    assertThat(forwarded("GET", "/api/v1/namespaces/kube-system/pods")).isEmpty();
    // looked up with the gateway's own credential, not as the caller, asking for metadata only
    RecordedRequest lookup = forwarded("GET", "/api/v1/namespaces/payments").get(0);
    assertThat(lookup.header("Authorization")).isEqualTo("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(lookup.hasHeader("Impersonate-User")).isFalse();
    assertThat(lookup.header("Accept")).contains("as=PartialObjectMetadata");
  }

  @Test
  void shouldGiveARequestOnANamespaceThatNamespacesLabels() throws Exception {
    assertThat(get(fx.client(), "/api/v1/namespaces/payments").statusCode()).isEqualTo(200);
    assertThat(decision("/api/v1/namespaces/payments").getRuleId()).isEqualTo("read-prod");
    assertThat(get(fx.client(), "/api/v1/namespaces/default").statusCode()).isEqualTo(403);
  }

  @Test
  void shouldDenyPatchAndDeleteOfALabelledConfigMapButNotOfAnUnlabelledOne() throws Exception {
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: locked, namespace: default, labels: {protected: "true"}}
        data: {k: v}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: unlocked, namespace: default, labels: {protected: "false"}}
        data: {k: v}
        """);
    String locked = "/api/v1/namespaces/default/configmaps/locked";
    String unlocked = "/api/v1/namespaces/default/configmaps/unlocked";

    HttpResponse<Buffer> patchLocked = patch(locked);
    HttpResponse<Buffer> deleteLocked = delete(locked);
    HttpResponse<Buffer> patchUnlocked = patch(unlocked);
    HttpResponse<Buffer> deleteUnlocked = delete(unlocked);

    assertThat(patchLocked.statusCode()).isEqualTo(403);
    assertThat(patchLocked.bodyAsJsonObject().getString("message"))
        .isEqualTo("Vigil policy denied this request (rule protected-objects): protected objects are read-only for agents");
    assertThat(deleteLocked.statusCode()).isEqualTo(403);
    assertThat(forwarded("PATCH", locked)).isEmpty();
    assertThat(forwarded("DELETE", locked)).isEmpty();
    assertThat(fx.kubeSim.store().get("configmaps", "default", "locked")).isPresent();
    List<PolicyDecision> lockedDecisions = decisions(locked);
    assertThat(lockedDecisions).extracting(PolicyDecision::getRuleId).containsExactly("protected-objects", "protected-objects");
    assertThat(lockedDecisions).extracting(PolicyDecision::getEffect).containsOnly(Effect.DENY);

    assertThat(patchUnlocked.statusCode()).isEqualTo(200);
    assertThat(deleteUnlocked.statusCode()).isEqualTo(200);
    assertThat(decisions(unlocked)).extracting(PolicyDecision::getRuleId)
        .containsExactly("configmaps-in-default", "configmaps-in-default");
    assertThat(fx.kubeSim.store().get("configmaps", "default", "unlocked")).isEmpty();
  }

  @Test
  void shouldDenyACreateWhoseBodyCarriesTheLabelWithoutAnyLookup() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps";

    HttpResponse<Buffer> labelled = post(path, "application/json", Buffer.buffer(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"born-locked\","
            + "\"labels\":{\"protected\":\"true\"}}}"));
    HttpResponse<Buffer> plain = post(path, "application/json", Buffer.buffer(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"born-free\"}}"));

    assertThat(labelled.statusCode()).isEqualTo(403);
    assertThat(plain.statusCode()).isEqualTo(201);
    assertThat(decisions(path)).extracting(PolicyDecision::getRuleId)
        .containsExactly("protected-objects", "configmaps-in-default");
    assertThat(fx.kubeSim.requests()).as("only the allowed create reached kube-sim: no label lookup was needed")
        .extracting(RecordedRequest::method).containsExactly("POST");
    assertThat(fx.kubeSim.store().get("configmaps", "default", "born-locked")).isEmpty();
  }

  @Test
  void shouldReadTheLabelsOfAProtobufCreateBody() throws Exception {
    HttpResponse<Buffer> labelled = post("/api/v1/namespaces/default/configmaps", KubeContent.PROTOBUF,
        Buffer.buffer(protobufConfigMap("pb-locked", Map.of("protected", "true"))));
    HttpResponse<Buffer> plain = post("/api/v1/namespaces/default/configmaps", KubeContent.PROTOBUF,
        Buffer.buffer(protobufConfigMap("pb-free", Map.of("team", "a"))));

    assertThat(labelled.statusCode()).isEqualTo(403);
    assertThat(plain.statusCode()).isEqualTo(201);
    assertThat(decisions("/api/v1/namespaces/default/configmaps")).extracting(PolicyDecision::getRuleId)
        .containsExactly("protected-objects", "configmaps-in-default");
  }

  @Test
  void shouldUseTheParentPodsLabelsForExec() throws Exception {
    String apiPod = fx.kubeSim.store().list("pods", "payments").stream()
        .filter(p -> "payments-api".equals(p.at("/metadata/labels/app").asText()))
        .map(p -> p.at("/metadata/name").asText()).findFirst().orElseThrow();
    String apiExec = "/api/v1/namespaces/payments/pods/" + apiPod + "/exec";
    String nginxExec = "/api/v1/namespaces/default/pods/nginx/exec";

    HttpResponse<Buffer> denied = await(fx.client().get(apiExec + "?command=env&stdout=true")
        .putHeader("Authorization", "Bearer " + token).send());
    HttpResponse<Buffer> other = await(fx.client().get(nginxExec + "?command=env&stdout=true")
        .putHeader("Authorization", "Bearer " + token).send());

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(decision(apiExec).getRuleId()).isEqualTo("no-exec-into-payments-api");
    assertThat(forwarded("GET", "/api/v1/namespaces/payments/pods/" + apiPod)).as("the pod was looked up").hasSize(1);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(decision(nginxExec).getRuleId()).as("nginx has other labels: no rule allows exec").isNull();
  }

  @Test
  void shouldTreatCollectionCallsAsUnknownObjectLabels() throws Exception {
    HttpResponse<Buffer> list = get(fx.client(), "/api/v1/namespaces/payments/services");
    HttpResponse<Buffer> one = get(fx.client(), "/api/v1/namespaces/payments/services/payments-api");

    assertThat(list.statusCode()).as("an objectLabels deny rule without verbs also denies list").isEqualTo(403);
    assertThat(decision("/api/v1/namespaces/payments/services").getRuleId()).isEqualTo("frozen-services");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(decision("/api/v1/namespaces/payments/services/payments-api").getRuleId()).isEqualTo("read-prod");
  }

  @Test
  void shouldFailClosedWhenTheGatewaysOwnLookupIsRefused() throws Exception {
    // a second gateway whose upstream credential kube-sim does not accept: every lookup fails (401)
    String ca = Base64.getEncoder().encodeToString(fx.pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    Path kubeconfig = dir.resolve("unauthorised.kubeconfig");
    Files.writeString(kubeconfig, GatewayFixture.kubeconfig(fx.kubeSim.url(), ca, "not-accepted-by-kube-sim-5d1e"));
    InMemorySink refusedSink = new InMemorySink();
    VigilProxy refused = fx.startProxy(fx.settings(Map.of(
        ProxyConfig.POLICY_FILE, dir.resolve("policy.yaml").toString(),
        ProxyConfig.UPSTREAM_KUBECONFIG, kubeconfig.toString())), refusedSink);
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: unprotected-but-unknown, namespace: default}
        """);
    WebClient client = fx.client(refused.port());
    try {
      String cm = "/api/v1/namespaces/default/configmaps/unprotected-but-unknown";
      HttpResponse<Buffer> delete = await(client.delete(cm).putHeader("Authorization", "Bearer " + token).send());
      HttpResponse<Buffer> read = get(client, "/api/v1/namespaces/payments/pods");

      assertThat(delete.statusCode()).as("deny rule: unknown labels match").isEqualTo(403);
      assertThat(decision(refusedSink, cm).getRuleId()).isEqualTo("protected-objects");
      assertThat(read.statusCode()).as("allow rule: unknown labels do not match").isEqualTo(403);
      assertThat(decision(refusedSink, "/api/v1/namespaces/payments/pods").getRuleId()).isNull();
      assertThat(fx.kubeSim.requests()).extracting(RecordedRequest::method).containsOnly("GET"); // lookups only
      assertThat(fx.kubeSim.store().get("configmaps", "default", "unprotected-but-unknown")).isPresent();
      JsonObject lookups = await(client.get("/vigil/status").send()).bodyAsJsonObject().getJsonObject("policy").getJsonObject("labelLookups");
      assertThat(lookups.getLong("failures")).isEqualTo(2);
      assertThat(lookups.getLong("requests")).isEqualTo(2);
    } finally {
      client.close();
    }
  }

  private static byte[] protobufConfigMap(String name, Map<String, String> labels) {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName(name).putAllLabels(labels))
        .putData("k", "v").build();
    return KubeContent.envelope("v1", "ConfigMap", cm.toByteArray());
  }

  private static HttpResponse<Buffer> get(WebClient client, String path) throws Exception {
    return await(client.get(path).putHeader("Authorization", "Bearer " + token).send());
  }

  private static HttpResponse<Buffer> patch(String path) throws Exception {
    return await(fx.client().patch(path).putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/merge-patch+json")
        .sendBuffer(Buffer.buffer("{\"data\":{\"k\":\"changed\"}}")));
  }

  private static HttpResponse<Buffer> delete(String path) throws Exception {
    return await(fx.client().delete(path).putHeader("Authorization", "Bearer " + token).send());
  }

  private static HttpResponse<Buffer> post(String path, String contentType, Buffer body) throws Exception {
    return await(fx.client().post(path).putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", contentType).sendBuffer(body));
  }

  private static List<RecordedRequest> forwarded(String method, String path) {
    return fx.kubeSim.requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  private static PolicyDecision decision(String path) throws Exception {
    return decision(sink, path);
  }

  private static PolicyDecision decision(InMemorySink s, String path) throws Exception {
    List<PolicyDecision> d = decisions(s, path);
    assertThat(d).as("one RequestReceived for " + path).hasSize(1);
    return d.get(0);
  }

  private static List<PolicyDecision> decisions(String path) throws Exception {
    return decisions(sink, path);
  }

  private static List<PolicyDecision> decisions(InMemorySink s, String path) throws Exception {
    return s.await(e -> isReceived(e, path), 1, Duration.ofSeconds(5)).stream()
        .map(e -> ((RequestReceived) e.getPayload()).getDecision()).toList();
  }

  private static boolean isReceived(VigilEvent e, String path) {
    return e.getPayload() instanceof RequestReceived && path.equals(e.getRequest().getPath());
  }
}

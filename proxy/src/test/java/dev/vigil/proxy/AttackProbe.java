package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * The attack suites' gateway (kube-sim upstream, dev OIDC issuer, recording into memory) and their checks: a refusal
 * has its Kubernetes Status, was recorded as a denied RequestReceived naming its rule, then its ResponseCompleted.
 */
final class AttackProbe {

  static final String POLICY = """
      defaultEffect: allow
      rules:
        - id: no-exec-in-kube-system
          effect: deny
          reason: no exec in kube-system
          resources: [pods]
          subresources: [exec]
          namespaces: [kube-system]
        - id: no-secrets-in-kube-system
          effect: deny
          reason: kube-system secrets are off limits
          resources: [secrets]
          namespaces: [kube-system]
      """;

  final GatewayFixture fx;
  final InMemorySink sink = new InMemorySink();
  final VigilProxy proxy;

  AttackProbe(Path dir, Map<String, String> settings) throws Exception {
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("attack-policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    Map<String, String> all = new HashMap<>(settings);
    all.put(ProxyConfig.POLICY_FILE, policy.toString());
    proxy = fx.startProxy(fx.settings(all), sink);
  }

  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  RawConnection open() throws Exception {
    return RawConnection.open(fx, proxy.port());
  }

  /** Sends {@code request} on a new connection; what came back once a Status body ended or the connection closed. */
  String raw(String request) throws Exception {
    RawConnection c = open();
    try {
      c.send(request);
      return answer(c, Duration.ofSeconds(10));
    } finally {
      c.close();
    }
  }

  static String answer(RawConnection c, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.awaitText("}", Duration.ofMillis(100)).contains("}") && !c.closed.isDone()
        && System.nanoTime() < deadline) {
      // a Status body ends with '}'; a refusal without one closes the connection
    }
    Thread.sleep(50);
    return c.awaitText("}", Duration.ZERO);
  }

  static int rawStatus(String response) {
    assertThat(response).startsWith("HTTP/1.1 ");
    return Integer.parseInt(response.substring(9, 12));
  }

  /** A raw answer with {@code code} and a Kubernetes Status body of {@code reason}. */
  static void assertRawStatus(String response, int code, String reason) {
    assertThat(rawStatus(response)).as(response).isEqualTo(code);
    assertThat(response).contains("\"kind\":\"Status\"", "\"code\":" + code, "\"reason\":\"" + reason + "\"");
  }

  static void assertStatus(HttpResponse<Buffer> resp, int code, String reason) {
    assertThat(resp.statusCode()).isEqualTo(code);
    JsonObject status = resp.bodyAsJsonObject();
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo(reason);
    assertThat(status.getInteger("code")).isEqualTo(code);
  }

  /** The attempt was recorded: a denied RequestReceived with {@code ruleId}, then its ResponseCompleted. */
  VigilEvent assertDenied(String ruleId, int status) throws InterruptedException {
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(10));
    assertThat(events).hasSize(2);
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo(ruleId);
    assertThat(rr.getDecision().getReason()).isNotBlank();
    assertThat(rr.getHeaders()).doesNotContainKey("authorization");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(status);
    return events.get(0);
  }

  /** As {@link #assertDenied}, for a head refused before anyone could be authenticated. */
  VigilEvent assertDeniedAnonymously(String ruleId, int status) throws InterruptedException {
    VigilEvent received = assertDenied(ruleId, status);
    assertThat(received.getIdentity().getAuthenticated()).isFalse();
    return received;
  }

  void close() throws Exception {
    fx.close();
  }
}

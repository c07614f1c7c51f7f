package dev.vigil.proxy.it;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.InMemorySink;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Real kubectl through the gateway, which listens with HTTP/2 and HTTP/1.1: kubectl talks h2 (seen in Go's
 * {@code GODEBUG=http2debug=1} trace) for ordinary calls, watches and followed logs, while exec still upgrades to a
 * WebSocket over HTTP/1.1. Upstream, kubectl's calls carry the caller's mapped identity as impersonation headers and
 * nothing the caller sent to claim another identity.
 */
class KubectlIdentityIT {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static VigilProxy proxy;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.OIDC_USERNAME_PREFIX, "oidc:",
        ProxyConfig.OIDC_GROUPS_PREFIX, "oidc:")), sink);
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

  record Result(int exitCode, String stdout, String stderr) {}

  /** kubectl with an isolated HOME and Go's HTTP/2 debug trace on stderr. */
  private static Result kubectl(Path kubeconfig, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", Files.createDirectories(dir.resolve("home-" + System.nanoTime())).toString());
    pb.environment().put("GODEBUG", "http2debug=1");
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    return new Result(p.isAlive() ? -1 : p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void shouldShowTheCallersMappedIdentityInKubectlAuthWhoamiOverHttp2() throws Exception {
    Path kubeconfig = fx.writeClientKubeconfig(fx.issuer.mint("agent-who", List.of("ai-agents", "sre"),
        java.time.Duration.ofMinutes(10)));

    Result r = kubectl(kubeconfig, 60, "auth", "whoami", "-o", "json");
    Result as = kubectl(kubeconfig, 60, "auth", "whoami", "-o", "json", "--as=system:admin", "--as-group=system:masters");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonObject user = new JsonObject(r.stdout()).getJsonObject("status").getJsonObject("userInfo");
    assertThat(user.getString("username")).isEqualTo("oidc:agent-who");
    assertThat(user.getJsonArray("groups")).containsExactly("oidc:ai-agents", "oidc:sre", "system:authenticated");
    assertThat(r.stderr()).contains("http2: Transport");
    assertThat(as.exitCode()).as(as.stderr()).isZero();
    assertThat(new JsonObject(as.stdout()).getJsonObject("status").getJsonObject("userInfo").getString("username"))
        .isEqualTo("oidc:agent-who");
    assertThat(fx.kubeSim.requests()).isNotEmpty().allSatisfy(req -> {
      assertThat(req.headers("impersonate-user")).containsExactly("oidc:agent-who");
      assertThat(req.headers("impersonate-group")).containsExactly("oidc:ai-agents", "oidc:sre");
      assertThat(req.headers("impersonate-extra-vigil-session")).containsExactly("oidc:agent-who");
      assertThat(req.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    });
  }

  @Test
  void shouldNeverForwardIdentityHeadersARawCallerSends() throws Exception {
    String token = fx.mint("raw-agent");

    HttpResponse<Buffer> forwarded = await(fx.client().get("/apis/authentication.k8s.io/v1")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Impersonate-User", "system:admin")
        .putHeader("impersonate-group", "system:masters")
        .putHeader("Impersonate-Extra-vigil-session", "someone-else")
        .putHeader("Connection", "X-Foo")
        .putHeader("X-Foo", "bar")
        .putHeader("X-Forwarded-For", "10.0.0.66")
        .putHeader("Forwarded", "for=10.0.0.66")
        .putHeader("X-Remote-User", "system:admin")
        .putHeader("Proxy-Authorization", "Basic YWRtaW46YWRtaW4=")
        .send());
    List<RecordedRequest> seen = fx.kubeSim.requests();
    fx.kubeSim.clearRequests();
    var twoCredentials = fx.client().get("/api/v1/namespaces").putHeader("Authorization", "Bearer " + token);
    twoCredentials.headers().add("Authorization", "Basic YWRtaW46YWRtaW4=");
    HttpResponse<Buffer> both = await(twoCredentials.send());
    RecordedRequest bothSeen = fx.kubeSim.requests().get(0);
    fx.kubeSim.clearRequests();
    HttpResponse<Buffer> basic = await(fx.client().get("/api/v1/namespaces")
        .putHeader("Authorization", "Basic YWRtaW46YWRtaW4=").putHeader("Impersonate-User", "system:admin").send());

    assertThat(forwarded.statusCode()).isEqualTo(200);
    assertThat(seen).hasSize(1);
    RecordedRequest upstream = seen.get(0);
    assertThat(upstream.headers("impersonate-user")).containsExactly("oidc:raw-agent");
    assertThat(upstream.headers("impersonate-group")).containsExactly("oidc:agents", "oidc:dev");
    assertThat(upstream.headers("impersonate-extra-vigil-session")).containsExactly("oidc:raw-agent");
    assertThat(upstream.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(upstream.headers("x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(upstream.headers().keySet()).doesNotContain("x-foo", "forwarded", "x-remote-user", "proxy-authorization");
    assertThat(upstream.headers().toString()).doesNotContain("system:admin", "system:masters", "someone-else", "10.0.0.66",
        "Basic");
    assertThat(both.statusCode()).isEqualTo(200);
    assertThat(bothSeen.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(fx.kubeSim.requests()).isEmpty();
    VigilEvent received = sink.await(e -> e.getPayload() instanceof RequestReceived, 1, java.time.Duration.ofSeconds(5)).get(0);
    assertThat(((RequestReceived) received.getPayload()).getHeaders()).doesNotContainKeys("authorization",
        "impersonate-user", "impersonate-group", "proxy-authorization").containsEntry("x-foo", "bar");
  }

  @Test
  void shouldStreamWatchesAndFollowedLogsOverHttp2AndExecOverAWebSocket() throws Exception {
    Path kubeconfig = fx.writeClientKubeconfig(fx.mint("stream-agent"));

    Result logs = kubectl(kubeconfig, 8, "logs", "-f", "-n", "payments", "deploy/payments-api");
    Result watch = kubectl(kubeconfig, 8, "get", "pods", "-n", "payments", "--watch", "-o", "name");
    Result apply = kubectl(kubeconfig, 60, "create", "configmap", "h2-cm-" + System.nanoTime(), "-n", "payments",
        "--from-literal=k=v");
    Result exec = kubectl(kubeconfig, 60, "exec", "-n", "default", "nginx", "--", "sh", "-c", "echo hello-from-exec");

    assertThat(logs.stdout()).as(logs.stderr()).isNotBlank();
    assertThat(logs.stderr()).contains("http2: Transport");
    assertThat(watch.stdout()).as(watch.stderr()).contains("pod/");
    assertThat(watch.stderr()).contains("http2: Transport");
    assertThat(apply.exitCode()).as(apply.stderr()).isZero();
    assertThat(exec.exitCode()).as(exec.stderr()).isZero();
    assertThat(exec.stdout()).contains("hello-from-exec");
    assertThat(fx.kubeSim.requests()).filteredOn(r -> r.path().endsWith("/exec")).isNotEmpty()
        .allSatisfy(r -> assertThat(r.headers("impersonate-user")).containsExactly("oidc:stream-agent"));
  }
}

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

import dev.vigil.embedded.pki.IssuedCert;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.schema.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Credential custody: a rotating token file is re-read, short-lived tokens come from the TokenRequest API and are
 * renewed, a client certificate is presented to an upstream that requires one — and no upstream credential ever shows
 * in a response, a log line or a recorded event.
 */
class UpstreamCredentialsTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
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
  }

  private static Path kubeconfig(String server, String user) throws Exception {
    String ca = Base64.getEncoder().encodeToString(fx.pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    return Files.writeString(dir.resolve("upstream-" + System.nanoTime() + ".kubeconfig"), "apiVersion: v1\nkind: Config\n"
        + "clusters:\n- name: c\n  cluster:\n    server: " + server + "\n    certificate-authority-data: " + ca + "\n"
        + "users:\n- name: u\n  user:\n" + user
        + "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n");
  }

  private static VigilProxy gateway(Path kubeconfig, Map<String, String> extra) throws Exception {
    Map<String, String> m = new java.util.HashMap<>(extra);
    m.put(ProxyConfig.UPSTREAM_KUBECONFIG, kubeconfig.toString());
    return fx.startProxy(fx.settings(m), sink);
  }

  private static HttpResponse<Buffer> call(VigilProxy proxy, String path) throws Exception {
    WebClient client = fx.client(proxy.port());
    try {
      return await(client.get(path).putHeader("Authorization", "Bearer " + fx.mint("agent-c")).send());
    } finally {
      client.close();
    }
  }

  @Test
  void shouldReReadARotatedTokenFileAndUseTheNewToken() throws Exception {
    IssuedCert cert = fx.pki.issueServer("kube-sim-2", List.of("localhost"), List.of("127.0.0.1"));
    KubeSim sim = await(KubeSim.start(fx.vertx, new KubeSimOptions().setKeyCertPem(cert.keyPem(), cert.certPem())
        .addToken("projected-token-1").addToken("projected-token-2").setSeedDemo(true)));
    try {
      Path tokenFile = Files.writeString(dir.resolve("sa.token"), "projected-token-1\n");
      VigilProxy proxy = gateway(kubeconfig(sim.url(), "    tokenFile: " + tokenFile + "\n"),
          Map.of(ProxyConfig.UPSTREAM_TOKEN_RELOAD_INTERVAL, "100ms"));
      assertThat(call(proxy, "/api/v1/namespaces").statusCode()).isEqualTo(200);

      Files.writeString(tokenFile, "projected-token-2\n");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String seen = null;
      while (!"Bearer projected-token-2".equals(seen) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        sim.clearRequests();
        assertThat(call(proxy, "/api/v1/namespaces").statusCode()).isEqualTo(200);
        seen = sim.requests().get(0).header("authorization");
      }

      assertThat(seen).isEqualTo("Bearer projected-token-2");
      Files.writeString(tokenFile, ""); // a half-written file never replaces a good token
      Thread.sleep(300);
      sim.clearRequests();
      assertThat(call(proxy, "/api/v1/namespaces").statusCode()).isEqualTo(200);
      assertThat(sim.requests().get(0).header("authorization")).isEqualTo("Bearer projected-token-2");
    } finally {
      await(sim.close());
    }
  }

  @Test
  void shouldForwardWithShortLivedTokenRequestTokensRenewedBeforeExpiryAndNeverLeakAnyToken() throws Exception {
    String base = "base-credential-" + System.nanoTime();
    TestUpstream upstream = await(TestUpstream.start(fx.vertx, fx.pki, base, Duration.ofSeconds(3), false));
    try (CapturedLogs logs = new CapturedLogs()) {
      VigilProxy proxy = gateway(kubeconfig(upstream.url(), "    token: " + base + "\n"), Map.of(
          ProxyConfig.UPSTREAM_TOKEN_REQUEST_SERVICE_ACCOUNT, "vigil/gateway",
          ProxyConfig.UPSTREAM_TOKEN_REQUEST_AUDIENCES, "https://kubernetes.default.svc",
          ProxyConfig.UPSTREAM_TOKEN_REQUEST_EXPIRATION, "10m"));

      HttpResponse<Buffer> first = call(proxy, "/api/v1/namespaces");
      assertThat(first.statusCode()).isEqualTo(200);
      List<TestUpstream.Seen> seen = upstream.seen();
      assertThat(seen.get(0).path()).isEqualTo("/api/v1/namespaces/vigil/serviceaccounts/gateway/token");
      assertThat(seen.get(0).authorization()).isEqualTo("Bearer " + base);
      assertThat(seen.get(0).body().getJsonObject("spec").getLong("expirationSeconds")).isEqualTo(600L);
      assertThat(seen.get(0).body().getJsonObject("spec").getJsonArray("audiences")).containsExactly("https://kubernetes.default.svc");
      String firstToken = seen.get(1).authorization();
      assertThat(firstToken).startsWith("Bearer sa-token-");

      Thread.sleep(3_500); // the token lives 3 s: renewed at 80%, i.e. before it expires
      HttpResponse<Buffer> later = call(proxy, "/api/v1/namespaces");

      assertThat(later.statusCode()).isEqualTo(200);
      List<TestUpstream.Seen> all = upstream.seen();
      assertThat(all).filteredOn(s -> s.path().endsWith("/token")).hasSizeGreaterThanOrEqualTo(2);
      // the last forwarded call (a renewal may have run after it on a slow machine: skip /token requests)
      List<TestUpstream.Seen> forwarded = all.stream().filter(s -> !s.path().endsWith("/token")).toList();
      String laterToken = forwarded.get(forwarded.size() - 1).authorization();
      assertThat(laterToken).startsWith("Bearer sa-token-").isNotEqualTo(firstToken);
      assertThat(all).filteredOn(s -> !s.path().endsWith("/token"))
          .allSatisfy(s -> assertThat(s.authorization()).startsWith("Bearer sa-token-"));

      String recorded = sink.events().toString();
      String logged = logs.all();
      String answers = first.bodyAsString() + first.headers() + later.bodyAsString() + later.headers();
      assertThat(logged).contains("vigil/gateway");
      for (String token : List.of(base, firstToken.substring(7), laterToken.substring(7))) {
        assertThat(recorded).doesNotContain(token);
        assertThat(logged).doesNotContain(token);
        assertThat(answers).doesNotContain(token);
      }
    } finally {
      await(upstream.close());
    }
  }

  @Test
  void shouldPresentTheClientCertificateAnUpstreamRequiresAlsoToRequestTokens() throws Exception {
    TestUpstream upstream = await(TestUpstream.start(fx.vertx, fx.pki, null, Duration.ofMinutes(10), true));
    try {
      IssuedCert.Paths client = fx.pki.issueClient("vigil-gateway", List.of()).writeTo(dir.resolve("client"), "gateway");
      Path withCert = kubeconfig(upstream.url(), "    client-certificate: " + client.certFile()
          + "\n    client-key: " + client.keyFile() + "\n");

      VigilProxy plain = gateway(withCert, Map.of(ProxyConfig.GATEWAY_ID, "cert-gateway"));
      HttpResponse<Buffer> ok = call(plain, "/api/v1/namespaces");

      assertThat(ok.statusCode()).isEqualTo(200);
      TestUpstream.Seen seen = upstream.seen().get(0);
      assertThat(seen.clientSubject()).contains("CN=vigil-gateway");
      assertThat(seen.authorization()).isNull();

      upstream.clear();
      VigilProxy requesting = gateway(withCert, Map.of(ProxyConfig.UPSTREAM_TOKEN_REQUEST_SERVICE_ACCOUNT, "vigil/gateway"));
      assertThat(call(requesting, "/api/v1/namespaces").statusCode()).isEqualTo(200);
      assertThat(upstream.seen()).extracting(TestUpstream.Seen::path)
          .containsExactly("/api/v1/namespaces/vigil/serviceaccounts/gateway/token", "/api/v1/namespaces");
      assertThat(upstream.seen().get(1).authorization()).startsWith("Bearer sa-token-");

      sink.clear();
      VigilProxy noCert = gateway(kubeconfig(upstream.url(), "    token: not-enough\n"), Map.of());
      HttpResponse<Buffer> refused = call(noCert, "/api/v1/namespaces");
      assertThat(refused.statusCode()).isEqualTo(502);
      assertThat(sink.await(e -> e.getPayload() instanceof UpstreamError, 1, Duration.ofSeconds(5))).isNotEmpty();
    } finally {
      await(upstream.close());
    }
  }
}

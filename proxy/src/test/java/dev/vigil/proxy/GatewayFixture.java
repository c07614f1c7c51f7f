package dev.vigil.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.vigil.common.Settings;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Everything a gateway test needs on loopback: a dev PKI, a dev OIDC issuer, kube-sim over TLS accepting only the
 * gateway's token (seeded with the demo cluster), the files the gateway reads, and a client trusting the gateway.
 */
public final class GatewayFixture {

  public static final String GATEWAY_TOKEN = "gateway-upstream-token-3f9a";

  public final Vertx vertx = Vertx.vertx();
  public final Path dir;
  public final DevPki pki = DevPki.create("vigil-test-ca");
  public final DevOidcIssuer issuer;
  public final KubeSim kubeSim;
  public final Path upstreamKubeconfig;
  public final Path caFile;
  private final IssuedCert.Paths proxyTls;
  private final List<VigilProxy> proxies = new java.util.ArrayList<>();
  private VigilProxy proxy;
  private WebClient client;

  public GatewayFixture(Path dir) throws Exception {
    this.dir = dir;
    this.issuer = await(DevOidcIssuer.start(vertx, 0));
    IssuedCert simCert = pki.issueServer("kube-sim", List.of("localhost"), List.of("127.0.0.1"));
    this.kubeSim = await(KubeSim.start(vertx, new KubeSimOptions()
        .setHost("127.0.0.1").setPort(0)
        .setKeyCertPem(simCert.keyPem(), simCert.certPem())
        .addToken(GATEWAY_TOKEN)
        .setSeedDemo(true)));
    this.upstreamKubeconfig = writeUpstreamKubeconfig(dir.resolve("upstream.kubeconfig"), kubeSim.url());
    this.proxyTls = pki.issueServer("vigil-proxy", List.of("localhost"), List.of("127.0.0.1")).writeTo(dir.resolve("tls"), "proxy");
    this.caFile = dir.resolve("ca.crt");
    Files.writeString(caFile, pki.caCertPem(), StandardCharsets.UTF_8);
  }

  /** The gateway settings for this fixture, plus {@code extra}. */
  public Settings settings(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put(ProxyConfig.PORT, "0");
    m.put(ProxyConfig.TLS_CERT_FILE, proxyTls.certFile().toString());
    m.put(ProxyConfig.TLS_KEY_FILE, proxyTls.keyFile().toString());
    m.put(ProxyConfig.UPSTREAM_KUBECONFIG, upstreamKubeconfig.toString());
    m.put(ProxyConfig.OIDC_ISSUER, issuer.issuerUrl());
    m.put(ProxyConfig.GATEWAY_ID, "test-gateway");
    m.putAll(extra);
    return Settings.of(m);
  }

  public VigilProxy startProxy(Settings settings, RecordingSink sink) throws Exception {
    ProxyConfig config = ProxyConfig.from(settings);
    VigilProxy started = await(sink == null ? VigilProxy.start(vertx, config) : VigilProxy.start(vertx, config, sink));
    proxies.add(started);
    if (proxy == null) {
      proxy = started;
    }
    return started;
  }

  public VigilProxy proxy() {
    return proxy;
  }

  /** A client trusting the dev CA, pointed at the first gateway started. */
  public WebClient client() {
    if (client == null) {
      client = WebClient.create(vertx, new WebClientOptions()
          .setSsl(true)
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())))
          .setDefaultHost("127.0.0.1")
          .setDefaultPort(proxy.port())
          .setFollowRedirects(false));
    }
    return client;
  }

  /** A client trusting the dev CA, pointed at the gateway on {@code port}. */
  public WebClient client(int port) {
    return WebClient.create(vertx, new WebClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())))
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(port));
  }

  public String mint(String subject) {
    return issuer.mint(subject, List.of("agents", "dev"), Duration.ofMinutes(10));
  }

  /** A kubeconfig for kubectl pointing at the gateway with the dev CA and {@code token}. */
  public Path writeClientKubeconfig(String token) throws IOException {
    return writeClientKubeconfig(token, proxy.port());
  }

  /** A kubeconfig for kubectl pointing at the gateway on {@code port} with the dev CA and {@code token}. */
  public Path writeClientKubeconfig(String token, int port) throws IOException {
    String ca = Base64.getEncoder().encodeToString(pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    Path p = dir.resolve("agent-" + System.nanoTime() + ".kubeconfig");
    Files.writeString(p, kubeconfig("https://127.0.0.1:" + port, ca, token), StandardCharsets.UTF_8);
    return p;
  }

  private Path writeUpstreamKubeconfig(Path path, String server) throws IOException {
    String ca = Base64.getEncoder().encodeToString(pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(path.getParent());
    Files.writeString(path, kubeconfig(server, ca, GATEWAY_TOKEN), StandardCharsets.UTF_8);
    return path;
  }

  /** An upstream kubeconfig pointing at {@code server} (e.g. a closed port). */
  public Path writeUpstreamKubeconfigFor(String server) throws IOException {
    return writeUpstreamKubeconfig(dir.resolve("upstream-" + System.nanoTime() + ".kubeconfig"), server);
  }

  static String kubeconfig(String server, String caBase64, String token) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: c\n"
        + "  cluster:\n"
        + "    server: " + server + "\n"
        + "    certificate-authority-data: " + caBase64 + "\n"
        + "users:\n"
        + "- name: u\n"
        + "  user:\n"
        + "    token: " + token + "\n"
        + "contexts:\n"
        + "- name: ctx\n"
        + "  context:\n"
        + "    cluster: c\n"
        + "    user: u\n"
        + "current-context: ctx\n";
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public void close() throws Exception {
    if (client != null) {
      client.close();
    }
    for (VigilProxy p : proxies) {
      await(p.close());
    }
    await(kubeSim.close());
    await(issuer.close());
    await(vertx.close());
  }
}

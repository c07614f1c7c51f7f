package dev.vigil.bench.proxy;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import dev.vigil.embedded.pki.DevPki;

/**
 * Starts everything the bench measures, each in its own process: {@link BenchUpstream} (kube-sim, OIDC issuer,
 * Kafka), nginx (when a binary is given), and two Vigil proxies ({@code vigil proxy}, recording best-effort and
 * strict). The driver JVM only sends load.
 */
final class Topology implements AutoCloseable {

  static final String GATEWAY_TOKEN_FILE = "gateway.token";
  static final List<String> UPSTREAM_JVM = List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC");
  static final List<String> PROXY_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

  /** One thing to send load to: its key (json), label (tables), TLS port on 127.0.0.1 and the bearer token to send. */
  record Target(String key, String label, int port, String token) {}

  private final List<ChildProcess> children = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final DevPki pki = DevPki.create("vigil-bench-ca");
  private final Path dir;
  private String nginxNote;

  private Topology(Path dir) {
    this.dir = dir;
  }

  static Topology start(Path dir, Path nginx, List<String> vigilJvmExtra, Consumer<String> progress) throws Exception {
    Topology t = new Topology(dir);
    try {
      t.startAll(nginx, vigilJvmExtra, progress);
      return t;
    } catch (Exception | Error e) {
      t.close();
      throw e;
    }
  }

  private void startAll(Path nginx, List<String> vigilJvmExtra, Consumer<String> progress) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    Files.writeString(dir.resolve("ca.crt"), pki.caCertPem(), StandardCharsets.UTF_8);
    var simTls = pki.issueServer("kube-sim", List.of("localhost"), List.of("127.0.0.1")).writeTo(dir.resolve("tls"),
        "kube-sim");
    var proxyTls = pki.issueServer("bench-proxy", List.of("localhost"), List.of("127.0.0.1"))
        .writeTo(dir.resolve("tls"), "proxy");
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String gatewayToken = "bench-gw-" + HexFormat.of().formatHex(random);
    BenchUpstream.writeSecret(dir.resolve(GATEWAY_TOKEN_FILE), gatewayToken);

    Files.deleteIfExists(dir.resolve(BenchUpstream.READY_FILE)); // a reused work directory holds a stale one
    progress.accept("starting kube-sim, OIDC issuer and Kafka (own JVM)");
    ChildProcess upstream = child("upstream", ChildProcess.java(UPSTREAM_JVM, BenchUpstream.class.getName(),
        List.of(dir.toAbsolutePath().toString())));
    upstream.awaitReady(null, dir.resolve(BenchUpstream.READY_FILE), Duration.ofSeconds(180));
    Properties up = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(BenchUpstream.READY_FILE), StandardCharsets.UTF_8)) {
      up.load(r);
    }
    int simPort = Integer.parseInt(up.getProperty("kube-sim.port"));
    String caller = Files.readString(dir.resolve(BenchUpstream.CALLER_TOKEN_FILE), StandardCharsets.UTF_8).strip();
    targets.add(new Target("direct", "direct (kube-sim)", simPort, gatewayToken));

    if (nginx == null || !Files.isExecutable(nginx)) {
      nginxNote = nginx == null ? "no --nginx given" : "no nginx binary at " + nginx;
    } else {
      progress.accept("starting nginx " + nginx);
      int port = freePort();
      Path ndir = Files.createDirectories(dir.resolve("nginx"));
      Path conf = ndir.resolve("nginx.conf");
      BenchUpstream.writeSecret(conf, NginxConfig.render(new NginxConfig.Settings(ndir, port, proxyTls.certFile(),
          proxyTls.keyFile(), simPort, dir.resolve("ca.crt"), gatewayToken, 2)));
      ChildProcess n = child("nginx", List.of(nginx.toString(), "-p", ndir.toAbsolutePath().toString(),
          "-e", ndir.resolve("error.log").toAbsolutePath().toString(), "-c", conf.toAbsolutePath().toString(),
          "-g", "daemon off;"));
      awaitPort(n, port);
      targets.add(new Target("nginx", "nginx", port, caller));
    }

    String issuer = up.getProperty("oidc.issuer");
    Path kubeconfig = dir.resolve("upstream.kubeconfig");
    BenchUpstream.writeSecret(kubeconfig, Kubeconfig.render("https://127.0.0.1:" + simPort, pki.caCertPem(),
        gatewayToken));
    List<ChildProcess> vigils = new ArrayList<>();
    for (boolean strict : new boolean[] {false, true}) { // started together, awaited below
      String mode = strict ? "strict" : "best-effort";
      progress.accept("starting Vigil proxy, recording " + mode + " (own JVM)");
      Path policy = dir.resolve("policy-" + mode + ".yaml");
      Files.writeString(policy, VigilConfig.policy(strict), StandardCharsets.UTF_8);
      int port = freePort();
      Path props = dir.resolve("vigil-" + mode + ".properties");
      Files.writeString(props, VigilConfig.properties(new VigilConfig.Settings(port, proxyTls.certFile(),
          proxyTls.keyFile(), kubeconfig, issuer, up.getProperty("kafka.bootstrap"), policy, "bench-" + mode)),
          StandardCharsets.UTF_8);
      List<String> jvm = new ArrayList<>(PROXY_JVM);
      jvm.addAll(vigilJvmExtra.stream().map(o -> o.replace("{mode}", mode)).toList());
      vigils.add(child("vigil-" + mode, ChildProcess.java(jvm, "dev.vigil.app.Vigil",
          List.of("proxy", "--config", props.toAbsolutePath().toString()))));
      targets.add(new Target("vigil-" + mode, "Vigil, recording " + mode, port, caller));
    }
    for (ChildProcess v : vigils) {
      v.awaitReady("vigil proxy running on port", null, Duration.ofSeconds(120));
    }
  }

  private ChildProcess child(String name, List<String> command) throws IOException {
    ChildProcess c = ChildProcess.start(name, command, dir.resolve("logs").resolve(name + ".log"));
    children.add(c);
    return c;
  }

  List<Target> targets() {
    return List.copyOf(targets);
  }

  String caPem() {
    return pki.caCertPem();
  }

  /** Why there is no nginx target, or null when there is one. */
  String nginxNote() {
    return nginxNote;
  }

  /** The children still running (all should be, after a run). */
  List<String> deadChildren() {
    return children.stream().filter(c -> !c.isAlive()).map(c -> c.log().getFileName().toString()).toList();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(ChildProcess child, int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new IOException("nginx exited before it listened; see " + child.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("nginx not listening on " + port + " after 30 s; see " + child.log());
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (int i = children.size() - 1; i >= 0; i--) {
      try {
        children.get(i).close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

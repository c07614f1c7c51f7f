package dev.vigil.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.Settings;
import dev.vigil.embedded.DataDirs;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.schema.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code vigil demo}: the whole pipeline in one JVM on loopback — embedded Kafka and OpenSearch, kube-sim as the
 * Kubernetes API server, llm-sim as the LLM provider (see {@link DemoLlm}), a development OIDC issuer, the proxy, the
 * indexer, the stream processors (see {@link DemoStreams}) and the query API. Development only: the CA, the issuer,
 * kube-sim and llm-sim exist so that the real gateway code paths can be exercised on one machine.
 */
public final class Demo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where the demo wrote what a user needs, and where each part listens. */
  public record Endpoints(Path dir, Path kubeconfig, Path analystToken, Path agentTokenFile, Path caCert,
      String proxyUrl, String queryUrl, String issuerUrl, String kubeSimUrl, String llmSimUrl, String kafkaBootstrap,
      String openSearchUrl, String agentToken, String analystTokenValue, long readyMillis) {}

  private final Closer closer = new Closer(4000);
  private Endpoints endpoints;
  private KubeSim kubeSim;

  private Demo() {}

  /** Starts everything; on failure stops what was started and rethrows. */
  public static Demo start(Settings settings) {
    Demo demo = new Demo();
    try {
      demo.startAll(settings);
      return demo;
    } catch (RuntimeException | IOException e) {
      demo.close();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    }
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The simulated upstream, so tests can see exactly what reached the Kubernetes API. */
  KubeSim kubeSim() {
    return kubeSim;
  }

  private void startAll(Settings s) throws IOException {
    long t0 = System.nanoTime();
    Path dir = s.getPath("vigil.demo.dir", Path.of(".vigil", "demo")).toAbsolutePath();
    Files.createDirectories(dir);

    // Kafka and OpenSearch start in parallel: they are the slow parts.
    CompletableFuture<EmbeddedOpenSearch> osFuture = CompletableFuture.supplyAsync(() -> EmbeddedOpenSearch.start(
        EmbeddedOpenSearch.Options.defaults().withHttpPort(s.getPort("vigil.demo.opensearch.port", 9200))));
    // Registered before anything else can fail, so a node that finishes starting is always stopped.
    closer.register("opensearch", () -> osFuture.thenAccept(EmbeddedOpenSearch::close).exceptionally(e -> null).get());
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
        .withPort(s.getPort("vigil.demo.kafka.port", 9092))
        .withBrokerProperty("auto.create.topics.enable", "false"));
    closer.register("kafka", kafka::close);
    EmbeddedOpenSearch openSearch;
    try {
      openSearch = osFuture.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("OpenSearch did not start: " + e.getMessage(), e);
    }
    int partitions = s.getInt("vigil.demo.kafka.partitions", 3, 1, 64);
    kafka.createTopics(List.of(
        new NewTopic(Topics.EVENTS, partitions, (short) 1),
        new NewTopic(Topics.SESSIONS, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(Topics.ALERTS, partitions, (short) 1),
        new NewTopic(Topics.DLQ, 1, (short) 1)));

    // The stream processors start now (their first rebalance takes a few seconds) and are awaited at the end.
    Path streamsState = DataDirs.createTemp("streams");
    closer.register("streams-state", () -> DataDirs.deleteQuietly(streamsState));
    DemoAlertConsole alertConsole = DemoAlertConsole.start(dir);
    closer.register("alert-console", alertConsole::close);
    Settings streamsSettings = DemoStreams.settings(s.withDefaults(alertConsole.webhookSettings()), dir,
        kafka.bootstrapServers(), streamsState);
    CompletableFuture<Services.Running> streamsFuture =
        CompletableFuture.supplyAsync(() -> Services.startStreamProcessors(streamsSettings));
    closer.register("stream-processors",
        () -> streamsFuture.thenAccept(Services.Running::close).exceptionally(e -> null).get(), 8000);

    Vertx vertx = Vertx.vertx();
    closer.register("vertx", () -> await(vertx.close()));

    DevPki pki = DevPki.create("Vigil demo CA");
    Path caCert = dir.resolve("ca.crt");
    Files.writeString(caCert, pki.caCertPem(), StandardCharsets.UTF_8);
    IssuedCert proxyCert = pki.issueServer("vigil-proxy", List.of("localhost"), List.of("127.0.0.1"));
    IssuedCert.Paths proxyTls = proxyCert.writeTo(dir.resolve("tls"), "proxy");
    IssuedCert kubeSimCert = pki.issueServer("kube-sim", List.of("localhost"), List.of("127.0.0.1"));

    DevOidcIssuer issuer = await(DevOidcIssuer.start(vertx, s.getPort("vigil.demo.oidc.port", 8180)));
    closer.register("oidc-issuer", () -> await(issuer.close()));

    // The upstream credential: only the gateway holds it (written to a private file the proxy reads).
    String upstreamToken = randomToken();
    kubeSim = await(KubeSim.start(vertx, new KubeSimOptions()
        .setPort(s.getPort("vigil.demo.kube-sim.port", 0))
        .setKeyCertPem(kubeSimCert.keyPem(), kubeSimCert.certPem())
        .addToken(upstreamToken)
        .setSeedDemo(true)));
    closer.register("kube-sim", () -> await(kubeSim.close()));
    Path upstreamKubeconfig = Kubeconfigs.write(dir.resolve("gateway").resolve("upstream-kubeconfig"), "kube-sim",
        kubeSim.url(), pki.caCertPem(), "vigil-gateway", upstreamToken);
    // The LLM upstream: llm-sim with a generated provider key that, like the upstream kubeconfig, only the proxy reads.
    DemoLlm llm = DemoLlm.start(vertx, s, dir);
    closer.register("llm-sim", llm::close);

    // The example policy (reloaded on change) and the gateway's fingerprint key, both kept by the gateway only.
    Path policy = dir.resolve("policy.yaml");
    if (!Files.exists(policy)) {
      try (var in = Demo.class.getResourceAsStream("/demo/policy.yaml")) {
        Files.write(policy, in.readAllBytes());
      }
    }
    Path maskingKey = dir.resolve("gateway").resolve("masking.key");
    if (!Files.exists(maskingKey)) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      Kubeconfigs.writePrivate(maskingKey, Base64.getEncoder().encodeToString(key));
    }

    String host = "127.0.0.1";
    Settings wired = s.withDefaults(llm.proxySettings()).withDefaults(Map.ofEntries(
        Map.entry("vigil.proxy.host", host),
        Map.entry("vigil.proxy.port", String.valueOf(s.getPort("vigil.demo.proxy.port", 8443))),
        Map.entry("vigil.proxy.tls.cert-file", proxyTls.certFile().toString()),
        Map.entry("vigil.proxy.tls.key-file", proxyTls.keyFile().toString()),
        Map.entry("vigil.proxy.upstream.kubeconfig", upstreamKubeconfig.toString()),
        Map.entry("vigil.proxy.oidc.issuer", issuer.issuerUrl()),
        Map.entry("vigil.proxy.gateway-id", "demo-gateway"),
        Map.entry("vigil.proxy.policy.file", policy.toString()),
        Map.entry("vigil.proxy.masking.key-file", maskingKey.toString()),
        Map.entry("vigil.proxy.kafka.producer.bootstrap.servers", kafka.bootstrapServers()),
        Map.entry("vigil.indexer.opensearch.url", openSearch.httpUrl()),
        Map.entry("vigil.indexer.kafka.consumer.bootstrap.servers", kafka.bootstrapServers()),
        Map.entry("vigil.indexer.kafka.producer.bootstrap.servers", kafka.bootstrapServers()),
        Map.entry("vigil.query.host", host),
        Map.entry("vigil.query.port", String.valueOf(s.getPort("vigil.demo.query.port", 8081))),
        Map.entry("vigil.query.opensearch.url", openSearch.httpUrl()),
        Map.entry("vigil.query.oidc.issuer", issuer.issuerUrl()),
        // the query API verifies the sessions the demo's stream processors sign
        Map.entry("vigil.query.signing.public-keys." + DemoStreams.KEY_ID, DemoStreams.publicKey(dir).toString())));

    Services.Running indexer = Services.startIndexer(vertx, wired);
    closer.register("indexer", indexer::close, 8000);
    Services.Running query = Services.startQueryApi(vertx, wired);
    closer.register("query-api", query::close);
    Services.Running proxy = Services.startProxy(vertx, wired);
    closer.register("proxy", proxy::close);

    Duration ttl = s.getDuration("vigil.demo.token-ttl", Duration.ofHours(12));
    String agentToken = issuer.mint("agent-1", List.of("ai-agents"), ttl);
    String analystToken = issuer.mint("analyst-1", List.of("vigil-analysts"), ttl);
    String proxyUrl = "https://" + host + ":" + proxy.port();
    Path kubeconfig = Kubeconfigs.write(dir.resolve("kubeconfig"), "vigil-demo", proxyUrl, pki.caCertPem(), "agent-1",
        agentToken);
    Path analystTokenFile = dir.resolve("analyst.token");
    Kubeconfigs.writePrivate(analystTokenFile, analystToken + "\n");
    Path agentTokenFile = dir.resolve("agent.token"); // the same token as in the kubeconfig, for LLM clients
    Kubeconfigs.writePrivate(agentTokenFile, agentToken + "\n");

    try {
      streamsFuture.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Stream processors did not start: " + e.getMessage(), e);
    }

    long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    endpoints = new Endpoints(dir, kubeconfig, analystTokenFile, agentTokenFile, caCert, proxyUrl,
        "http://" + host + ":" + query.port(), issuer.issuerUrl(), kubeSim.url(), llm.url(), kafka.bootstrapServers(),
        openSearch.httpUrl(), agentToken, analystToken, readyMillis);
    LOG.info("Demo started in {} ms", readyMillis);
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    closer.close();
  }

  /** Runs the demo until the JVM is asked to stop (Ctrl-C / SIGTERM). */
  static int runUntilInterrupted(Settings settings, PrintStream out) {
    out.println("Starting the Vigil demo (development only: dev CA, dev OIDC issuer, kube-sim as the Kubernetes API, "
        + "llm-sim as the LLM provider) ...");
    Demo demo;
    try {
      demo = start(settings);
    } catch (RuntimeException e) {
      LOG.error("Demo failed to start: {}", e.getMessage(), e);
      out.println("Vigil demo failed to start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("Stopping the Vigil demo ...");
      long t = System.nanoTime();
      demo.close();
      out.println("Stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) + " ms.");
      stopped.countDown();
      org.apache.logging.log4j.LogManager.shutdown();
    }, "vigil-demo-shutdown"));
    DemoBanner.print(demo.endpoints(), out);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}

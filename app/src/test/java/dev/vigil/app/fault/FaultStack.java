package dev.vigil.app.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewTopic;

import dev.vigil.common.Settings;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.schema.Topics;
import dev.vigil.schema.chain.Ed25519Keys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * One fault test's pipeline on loopback: its own Kafka broker (data dir kept, so it can be stopped and restarted on
 * the same port), kube-sim as the upstream, a dev OIDC issuer and the real proxy in this JVM. OpenSearch is shared by
 * the test JVM; each stack indexes under its own prefix ({@code fault-<name>-...}).
 */
final class FaultStack implements AutoCloseable {

  static final String UPSTREAM_TOKEN = "fault-upstream-token-7c1e";

  final String name;
  final Path dir;
  final Vertx vertx = Vertx.vertx();
  final DevPki pki = DevPki.create("vigil-fault-ca");
  final DevOidcIssuer issuer;
  final KubeSim kubeSim;
  final PublicKeyFile signing;
  private EmbeddedKafka kafka;
  private final int kafkaPort;
  private VigilProxy proxy;
  private WebClient client;

  /** The stream processors' signing key and the public key that verifies their sessions. */
  record PublicKeyFile(Path privateKeyFile, java.security.PublicKey publicKey) {}

  FaultStack(String name, Path dir, int partitions) throws IOException {
    this.name = name;
    this.dir = dir;
    this.kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data"))
        .withBrokerProperty("auto.create.topics.enable", "false"));
    this.kafkaPort = kafka.port();
    kafka.createTopics(List.of(new NewTopic(Topics.EVENTS, partitions, (short) 1),
        new NewTopic(Topics.SESSIONS, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(Topics.ALERTS, partitions, (short) 1), new NewTopic(Topics.DLQ, 1, (short) 1)));
    this.issuer = await(DevOidcIssuer.start(vertx, 0));
    IssuedCert simCert = pki.issueServer("kube-sim", List.of("localhost"), List.of("127.0.0.1"));
    this.kubeSim = await(KubeSim.start(vertx, new KubeSimOptions().setHost("127.0.0.1").setPort(0)
        .setKeyCertPem(simCert.keyPem(), simCert.certPem()).addToken(UPSTREAM_TOKEN).setSeedDemo(true)
        .setMaxRecordedRequests(10_000_000)));
    KeyPair keys = Ed25519Keys.generate();
    Path keyFile = dir.resolve("signing.key.pem");
    Files.writeString(keyFile, Ed25519Keys.toPem(keys.getPrivate()), StandardCharsets.US_ASCII);
    this.signing = new PublicKeyFile(keyFile, keys.getPublic());
  }

  String bootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  /** Starts the proxy with {@code policy} (null: none, every call best effort) and extra settings. */
  void startProxy(String policy, Map<String, String> extra) throws IOException {
    Map<String, String> m = new HashMap<>();
    IssuedCert.Paths tls = pki.issueServer("vigil-proxy", List.of("localhost"), List.of("127.0.0.1"))
        .writeTo(dir.resolve("tls"), "proxy");
    String ca = Base64.getEncoder().encodeToString(pki.caCertPem().getBytes(StandardCharsets.UTF_8));
    Path kubeconfig = dir.resolve("upstream.kubeconfig");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
        + kubeSim.url() + "\n    certificate-authority-data: " + ca + "\nusers:\n- name: u\n  user:\n    token: "
        + UPSTREAM_TOKEN + "\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n",
        StandardCharsets.UTF_8);
    m.put(ProxyConfig.PORT, "0");
    m.put(ProxyConfig.TLS_CERT_FILE, tls.certFile().toString());
    m.put(ProxyConfig.TLS_KEY_FILE, tls.keyFile().toString());
    m.put(ProxyConfig.UPSTREAM_KUBECONFIG, kubeconfig.toString());
    m.put(ProxyConfig.OIDC_ISSUER, issuer.issuerUrl());
    m.put(ProxyConfig.GATEWAY_ID, "fault-" + name);
    m.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", bootstrap());
    m.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5");
    m.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".reconnect.backoff.max.ms", "500");
    if (policy != null) {
      Path file = dir.resolve("policy.yaml");
      Files.writeString(file, policy, StandardCharsets.UTF_8);
      m.put(ProxyConfig.POLICY_FILE, file.toString());
    }
    m.putAll(extra);
    proxy = await(VigilProxy.start(vertx, ProxyConfig.from(Settings.of(m))));
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(proxy.port()));
  }

  WebClient client() {
    return client;
  }

  String token(String subject) {
    return issuer.mint(subject, List.of("agents"), Duration.ofHours(1));
  }

  EmbeddedKafka kafka() {
    return kafka;
  }

  /** Stops the broker (the proxy, indexer and stream processors keep running and retrying). */
  void stopKafka() {
    kafka.close();
    kafka = null;
  }

  /** Restarts the broker on the same port and data directory. */
  void restartKafka() {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data"))
        .withPort(kafkaPort).withBrokerProperty("auto.create.topics.enable", "false"));
  }

  String eventsIndexPrefix() {
    return "fault-" + name + "-events";
  }

  String sessionsIndex() {
    return "fault-" + name + "-sessions";
  }

  String alertsIndex() {
    return "fault-" + name + "-alerts";
  }

  /** Indexer settings for this stack against {@code openSearchUrl}. */
  Map<String, String> indexerSettings(String openSearchUrl) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.indexer.opensearch.url", openSearchUrl);
    m.put("vigil.indexer.kafka.consumer.bootstrap.servers", bootstrap());
    m.put("vigil.indexer.kafka.consumer.group.id", "fault-" + name + "-indexer");
    m.put("vigil.indexer.kafka.producer.bootstrap.servers", bootstrap());
    m.put("vigil.indexer.index-prefix", eventsIndexPrefix());
    m.put("vigil.indexer.sessions.index", sessionsIndex());
    m.put("vigil.indexer.alerts.index", alertsIndex());
    m.put("vigil.indexer.retention.mode", "off");
    m.put("vigil.indexer.poll-timeout", "200ms");
    m.put("vigil.indexer.management.port", "-1");
    // a SIGKILLed member holds its partitions until its session times out: the broker's minimum, not 45 s
    m.put("vigil.indexer.kafka.consumer.session.timeout.ms", "6000");
    m.put("vigil.indexer.kafka.consumer.heartbeat.interval.ms", "1000");
    return m;
  }

  /** Stream-processor settings: sessions close {@code gap} after their last event (plus 1 s grace). */
  Map<String, String> streamsSettings(Path stateDir, String gap) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.streams.kafka.bootstrap.servers", bootstrap());
    m.put("vigil.streams.kafka.application.id", "fault-" + name + "-streams");
    m.put("vigil.streams.kafka.state.dir", stateDir.toString());
    m.put("vigil.streams.kafka.commit.interval.ms", "200");
    m.put("vigil.streams.signing.key-file", signing.privateKeyFile().toString());
    m.put("vigil.streams.signing.key-id", "fault");
    m.put("vigil.streams.session.inactivity-gap", gap);
    m.put("vigil.streams.session.grace", "1s");
    m.put("vigil.streams.session.update-interval", "1s");
    m.put("vigil.streams.close-timeout", "5s");
    m.put("vigil.streams.detect.first-namespace-access.learning-period", "0");
    m.put("vigil.streams.management.port", "-1");
    m.put("vigil.streams.kafka.session.timeout.ms", "6000");
    m.put("vigil.streams.kafka.heartbeat.interval.ms", "1000");
    return m;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("awaiting: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (proxy != null) {
      await(proxy.close());
    }
    await(kubeSim.close());
    await(issuer.close());
    await(vertx.close());
    if (kafka != null) {
      kafka.close();
    }
  }
}

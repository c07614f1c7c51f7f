package dev.vigil.proxy.impl;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.masking.Fingerprinter;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.InMemorySink;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * The gateway feeds {@link SecretFingerprints} with what each session reads of Secrets through Kubernetes (kube-sim,
 * demo seed): a get and a watch recorded in full, and — under maskResponse with {@code record: off} — what was masked
 * for the caller though nothing is recorded. Only the reading session holds the fingerprints.
 */
class SecretReadsGatewayTest {

  static final String PASSWORD = "s3cr3t-p@ssw0rd";
  static final String STRIPE_KEY = "sk_test_51DemoOnlyNotARealKey000000000000";
  static final String MASKED_NOT_RECORDED = """
      defaultEffect: allow
      defaults: {maskResponse: true, record: "off"}
      guardrails:
        secrets-only-in-allowed-namespaces: {namespaces: [payments]}
      """;

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static Fingerprinter fingerprinter;
  static VigilProxy plain;
  static VigilProxy masked;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 42);
    Path keyFile = Files.write(dir.resolve("masking.key"), key);
    fingerprinter = new Fingerprinter(key);
    Path policy = Files.writeString(dir.resolve("policy.yaml"), MASKED_NOT_RECORDED, StandardCharsets.UTF_8);
    plain = fx.startProxy(fx.settings(Map.of(ProxyConfig.MASKING_KEY_FILE, keyFile.toString())), sink);
    masked = fx.startProxy(fx.settings(Map.of(ProxyConfig.MASKING_KEY_FILE, keyFile.toString(),
        ProxyConfig.POLICY_FILE, policy.toString())), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  static SecretFingerprints reads(VigilProxy proxy) {
    return ((VigilProxyImpl) proxy).secretFingerprints();
  }

  static HttpResponse<Buffer> get(VigilProxy proxy, String uri, String user, String session) throws Exception {
    WebClient client = fx.client(proxy.port());
    try {
      var req = client.get(uri).bearerTokenAuthentication(fx.mint(user));
      if (session != null) {
        req.putHeader(SessionKeys.HEADER, session);
      }
      return await(req.send());
    } finally {
      client.close();
    }
  }

  /** Waits for the ResponseCompleted of the call kube-sim saw last from {@code sessionKey}: the read is fed by then. */
  static void awaitRecorded(String sessionKey) throws InterruptedException {
    List<VigilEvent> done = sink.await(e -> sessionKey.equals(e.getSessionKey())
        && e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(15));
    assertThat(done).isNotEmpty();
  }

  @Test
  void shouldHoldTheFingerprintOfASecretReadForTheReadingSessionOnly() throws Exception {
    HttpResponse<Buffer> resp = get(plain, "/api/v1/namespaces/payments/secrets/payments-db", "agent-1", "task-1");
    assertThat(resp.statusCode()).isEqualTo(200);
    awaitRecorded("agent-1/task-1");

    SecretFingerprints reads = reads(plain);
    String fp = fingerprinter.fingerprint(PASSWORD);
    assertThat(reads.holds("agent-1/task-1", fp)).isTrue();
    assertThat(reads.holds("agent-1/task-1", fingerprinter.fingerprint("payments"))).as("the username value").isTrue();
    assertThat(reads.holdsAny("agent-1")).isFalse();
    assertThat(reads.holdsAny("agent-1/task-2")).isFalse();
    assertThat(reads.holdsAny("agent-2")).isFalse();
    assertThat(reads.fingerprints("agent-1/task-1")).noneMatch(f -> f.contains(PASSWORD));
    SecretFingerprints.Scan scan = reads.scan("agent-1/task-1",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"password: " + PASSWORD + "\"}]}");
    assertThat(scan.fingerprints()).containsExactly(fp);
    assertThat(reads.scan("agent-2", "password: " + PASSWORD).found()).isFalse();
  }

  @Test
  void shouldHoldNothingForResponsesWithoutSecrets() throws Exception {
    assertThat(get(plain, "/api/v1/namespaces/payments/configmaps/payments-config", "agent-4", null).statusCode())
        .isEqualTo(200);
    awaitRecorded("agent-4");

    assertThat(reads(plain).holdsAny("agent-4")).isFalse();
  }

  @Test
  void shouldHoldTheFingerprintsOfSecretsInWatchEvents() throws Exception {
    HttpResponse<Buffer> resp = get(plain, "/api/v1/namespaces/payments/secrets?watch=true&timeoutSeconds=1",
        "agent-5", "watch");
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsString()).contains("\"ADDED\"");
    awaitRecorded("agent-5/watch");

    assertThat(sink.events()).anyMatch(e -> "agent-5/watch".equals(e.getSessionKey())
        && e.getPayload() instanceof StreamFrame);
    assertThat(reads(plain).holds("agent-5/watch", fingerprinter.fingerprint(PASSWORD))).isTrue();
    assertThat(reads(plain).holds("agent-5/watch", fingerprinter.fingerprint(STRIPE_KEY))).isTrue();
  }

  @Test
  void shouldHoldWhatWasMaskedForTheCallerEvenWhenNothingIsRecorded() throws Exception {
    HttpResponse<Buffer> resp = get(masked, "/api/v1/namespaces/payments/secrets/payments-db", "agent-3", null);

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsString()).contains("masked:k8s-secret:" + fingerprinter.fingerprint(PASSWORD));
    assertThat(sink.events()).noneMatch(e -> "agent-3".equals(e.getSessionKey()));
    assertThat(reads(masked).holds("agent-3", fingerprinter.fingerprint(PASSWORD))).isTrue();
    assertThat(reads(plain).holdsAny("agent-3")).as("each gateway keeps its own").isFalse();
  }
}

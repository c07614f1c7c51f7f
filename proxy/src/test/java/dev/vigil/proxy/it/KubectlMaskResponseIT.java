package dev.vigil.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.Finding;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;

/**
 * maskResponse with the real kubectl: a Secret read, a Table and an exec show the agent masked values, and the
 * fingerprints it sees are the ones recorded on Kafka.
 */
@ExtendWith(KafkaExtension.class)
class KubectlMaskResponseIT {

  static final String TOPIC = "vigil.events.mask-response-it";
  static final Pattern TOKEN = Pattern.compile("masked:[a-z0-9-]+:([0-9a-f]{32})");

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start(EmbeddedKafka broker) throws Exception {
    kafka = broker;
    kafka.createTopic(TOPIC, 1, Map.of());
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "defaultEffect: allow\nguardrails:\n  secrets-only-in-allowed-namespaces:\n"
        + "    namespaces: [payments]\n", StandardCharsets.UTF_8); // maskResponse: true by default
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5", ProxyConfig.EVENTS_TOPIC, TOPIC)), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldShowKubectlAMaskedSecretValueWithTheRecordedFingerprint() throws Exception {
    String subject = "masked-agent-" + System.nanoTime();
    KubectlRuns.Result r = run(subject, "get", "secret", "payments-db", "-n", "payments",
        "-o", "jsonpath={.data.password}");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).startsWith("masked:k8s-secret:");

    String fingerprint = fingerprint(r.stdout());
    List<VigilEvent> events = KubectlRuns.consume(kafka.bootstrapServers(), TOPIC, subject,
        e -> e.getPayload() instanceof ResponseCompleted && e.getRequest().getKubernetes() != null
            && "payments-db".equals(e.getRequest().getKubernetes().getName()));
    ResponseCompleted rc = (ResponseCompleted) events.get(events.size() - 1).getPayload();
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getFindings()).extracting(Finding::getFingerprint).contains(fingerprint);

    KubectlRuns.Result table = run(subject, "get", "secrets", "-n", "payments");
    assertThat(table.exit()).as(table.stderr()).isZero();
    assertThat(table.stdout()).contains("payments-db").contains("Opaque");
  }

  @Test
  void shouldShowKubectlExecOutputMasked() throws Exception {
    String subject = "masked-exec-" + System.nanoTime();
    String pod = fx.kubeSim.store().list("pods", "payments").stream()
        .map(p -> p.path("metadata").path("name").asText())
        .filter(n -> n.startsWith("payments-api")).findFirst().orElseThrow();
    KubectlRuns.Result r = run(subject, "exec", "-n", "payments", pod, "--", "env");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("HOSTNAME=" + pod).contains("DB_PASSWORD=masked:generic-secret:")
        .doesNotContain("s3cr3t-p@ssw0rd");

    String fingerprint = fingerprint(r.stdout());
    List<VigilEvent> events = KubectlRuns.consume(kafka.bootstrapServers(), TOPIC, subject,
        e -> e.getPayload() instanceof StreamFrame f
            && f.getFindings().stream().anyMatch(x -> x.getFingerprint().equals(fingerprint)));
    assertThat(events).anyMatch(e -> e.getPayload() instanceof StreamFrame);
  }

  private static KubectlRuns.Result run(String subject, String... args) throws Exception {
    return KubectlRuns.run(dir, fx.writeClientKubeconfig(fx.mint(subject)), args);
  }

  private static String fingerprint(String text) {
    Matcher m = TOKEN.matcher(text);
    assertThat(m.find()).as("a masked token in " + text).isTrue();
    return m.group(1);
  }
}

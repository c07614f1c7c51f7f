package dev.vigil.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Finding;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * Real kubectl writes, reads, lists, watches, patches and applies Secrets and a ConfigMap full of credentials, and
 * execs {@code env} in a pod with a secret-backed variable; then <b>every record</b> of the events topic is scanned
 * (raw bytes, and every base64-encoded body decoded) for every fixture credential, in plain text and in the base64
 * form Secrets carry. The same value read on two calls has the same fingerprint.
 */
@ExtendWith(KafkaExtension.class)
class NoPlaintextRecordedIT {

  static final String TOPIC = "vigil.events.no-plaintext-it";
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start(EmbeddedKafka broker) throws Exception {
    kafka = broker;
    kafka.createTopic(TOPIC, 1, Map.of());
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5", ProxyConfig.EVENTS_TOPIC, TOPIC)), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldNeverRecordAFixtureCredentialAndFingerprintTheSameValueAlike() throws Exception {
    Map<String, String> secrets = fixtures();
    String n = Long.toString(System.nanoTime(), 36);
    String secretName = "creds-" + n;
    String subject = "leaky-agent-" + n;
    Path pem = Files.writeString(dir.resolve("tls-" + n + ".key"), secrets.get("rsa-pem"));
    Path gcp = Files.writeString(dir.resolve("sa-" + n + ".json"), secrets.get("gcp-sa"));

    ok(run(subject, "create", "secret", "generic", secretName, "-n", "payments",
        "--from-literal=password=" + secrets.get("password"), "--from-literal=token=" + secrets.get("api-token"),
        "--from-file=tls.key=" + pem));
    Process watch = KubectlRuns.start(dir, fx.writeClientKubeconfig(fx.mint(subject)), null, Map.of(),
        "get", "secrets", "-n", "payments", "-w", "-o", "json");
    ok(run(subject, "get", "secret", secretName, "-n", "payments", "-o", "yaml"));
    ok(run(subject, "get", "secrets", "-n", "payments", "-o", "json"));
    ok(run(subject, "patch", "secret", secretName, "-n", "payments", "-p",
        "{\"stringData\":{\"rotated\":\"" + secrets.get("rotated-password") + "\"}}"));
    Path applied = Files.writeString(dir.resolve("applied-" + n + ".yaml"), """
        apiVersion: v1
        kind: Secret
        metadata: {name: applied-%s, namespace: payments}
        stringData:
          webhook: "%s"
        """.formatted(n, secrets.get("applied-token")));
    ok(run(subject, "apply", "-f", applied.toString()));
    ok(run(subject, "apply", "-f", applied.toString()));
    ok(run(subject, "create", "configmap", "leaky-" + n, "-n", "default",
        "--from-literal=aws_access_key_id=" + secrets.get("aws-key-id"),
        "--from-literal=settings=aws_secret_access_key=" + secrets.get("aws-secret"),
        "--from-literal=github=" + secrets.get("github"), "--from-literal=gitlab=" + secrets.get("gitlab"),
        "--from-literal=slack=" + secrets.get("slack"), "--from-literal=jwt=" + secrets.get("jwt"),
        "--from-literal=app.properties=db.password=" + secrets.get("app-password"),
        "--from-file=sa.json=" + gcp));
    ok(run(subject, "get", "configmap", "leaky-" + n, "-n", "default", "-o", "yaml"));
    String pod = ok(run(subject, "get", "pods", "-n", "payments", "-l", "app=payments-api",
        "-o", "jsonpath={.items[0].metadata.name}"));
    String env = ok(run(subject, "exec", "-n", "payments", pod, "--", "env"));
    assertThat(env).as("the fixture pod prints the seeded database password").contains("DB_PASSWORD=s3cr3t-p@ssw0rd");
    secrets.put("seeded-db-password", "s3cr3t-p@ssw0rd");
    watch.destroy();
    assertThat(watch.waitFor(10, TimeUnit.SECONDS)).isTrue();

    List<VigilEvent> events = new ArrayList<>();
    List<String> leaks = scanEveryRecord(secrets, subject, events);
    assertThat(leaks).as("fixture credentials found in Kafka records").isEmpty();

    List<VigilEvent> session = events.stream().filter(e -> e.getSessionKey().equals(subject)).toList();
    assertThat(session.stream().map(e -> e.getRequest().getKubernetes().getVerb()).collect(Collectors.toSet()))
        .as("the scan covered every kind of call").contains("create", "get", "list", "watch", "patch");
    assertThat(session).anySatisfy(e -> assertThat(e.getPayload()).isInstanceOf(StreamFrame.class));

    String created = fingerprint(session, "create", "secrets", "password");
    String read = fingerprint(session, "get", "secrets", "password");
    String listed = fingerprint(session, "list", "secrets", "password");
    assertThat(created).isNotNull();
    assertThat(read).isEqualTo(created);
    assertThat(listed).isEqualTo(created);
    assertThat(fingerprint(session, "create", "configmaps", "aws_access_key_id"))
        .isNotNull().isEqualTo(fingerprint(session, "get", "configmaps", "aws_access_key_id"));
  }

  /** Fresh, real-looking credentials (the detectors' kinds and Secret values), generated per run. */
  private static Map<String, String> fixtures() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("password", "Pw-" + token(18));
    m.put("api-token", "tok_" + token(32));
    m.put("rotated-password", "Rot-" + token(18));
    m.put("applied-token", "whsec_" + token(30));
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded());
    m.put("rsa-pem", "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    String gcpBody = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded());
    String gcpKey = "-----BEGIN PRIVATE KEY-----\n" + gcpBody + "\n-----END PRIVATE KEY-----\n";
    m.put("gcp-private-key", gcpKey);
    m.put("gcp-sa", "{\"type\": \"service_account\", \"project_id\": \"vigil-it\", \"private_key_id\": \"" + hex(20)
        + "\", \"private_key\": \"" + gcpKey.replace("\n", "\\n") + "\", \"client_email\": \"it@vigil-it.iam.gserviceaccount.com\"}");
    m.put("aws-key-id", "AKIA" + upper(16));
    m.put("aws-secret", token(40).replace('_', '/'));
    m.put("github", "ghp_" + alnum(36));
    m.put("gitlab", "glpat-" + alnum(20));
    m.put("slack", "xoxb-" + digits(11) + "-" + digits(12) + "-" + alnum(24));
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    m.put("jwt", url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"it\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + url.encodeToString(("{\"iss\":\"https://kubernetes.default.svc\",\"sub\":\"system:serviceaccount:payments:"
            + alnum(8) + "\",\"exp\":1900000000}").getBytes(StandardCharsets.UTF_8)) + "." + url.encodeToString(bytes(64)));
    m.put("app-password", "Zq8#" + alnum(16));
    return m;
  }

  /** Every needle a credential could leave behind: the value, its base64 form, and each line of a multi-line value. */
  private static Map<String, String> needles(Map<String, String> secrets) {
    Map<String, String> needles = new LinkedHashMap<>();
    secrets.forEach((name, value) -> {
      if (value.contains("\n")) {
        String[] lines = value.split("\n");
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].length() >= 16 && !lines[i].startsWith("-----")) {
            needles.put(name + " line " + i, lines[i]);
          }
        }
      } else if (!name.equals("gcp-sa")) {
        needles.put(name, value);
      }
      needles.put(name + " (base64)", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    });
    return needles;
  }

  /** Scans every record of the topic (until the session's last call is in), returning the leaks found. */
  private static List<String> scanEveryRecord(Map<String, String> secrets, String subject, List<VigilEvent> out) {
    Map<String, String> needles = needles(secrets);
    List<String> leaks = new ArrayList<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      boolean sawExecEnd = false;
      while (!sawExecEnd && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          VigilEvent e = VigilSerdes.events().decode(raw.value());
          out.add(e);
          List<String> haystacks = new ArrayList<>(List.of(new String(raw.value(), StandardCharsets.ISO_8859_1)));
          for (Body b : bodies(e)) {
            if (b.getEncoding() == BodyEncoding.BASE64) {
              haystacks.add(new String(Base64.getDecoder().decode(b.getContent()), StandardCharsets.ISO_8859_1));
            }
          }
          needles.forEach((name, needle) -> {
            if (haystacks.stream().anyMatch(h -> h.contains(needle))) {
              leaks.add(name + " in record " + raw.offset() + " (" + e.getPayload().getClass().getSimpleName() + " of "
                  + e.getRequest().getMethod() + " " + e.getRequest().getPath() + ")");
            }
          });
          sawExecEnd |= subject.equals(e.getSessionKey()) && e.getPayload() instanceof ResponseCompleted
              && "exec".equals(e.getRequest().getKubernetes().getSubresource());
        }
      }
      assertThat(sawExecEnd).as("the exec call's ResponseCompleted reached Kafka").isTrue();
    }
    return leaks;
  }

  private static List<Body> bodies(VigilEvent e) {
    List<Body> bodies = new ArrayList<>();
    if (e.getPayload() instanceof RequestReceived rr && rr.getBody() != null) {
      bodies.add(rr.getBody());
    } else if (e.getPayload() instanceof ResponseCompleted rc && rc.getBody() != null) {
      bodies.add(rc.getBody());
    } else if (e.getPayload() instanceof StreamFrame f && f.getData() != null) {
      bodies.add(f.getData());
    }
    return bodies;
  }

  /** The fingerprint recorded for {@code key} (a finding location ending in it) on the session's first such call. */
  private static String fingerprint(List<VigilEvent> session, String verb, String resource, String key) {
    Set<String> requestIds = session.stream().filter(e -> verb.equals(e.getRequest().getKubernetes().getVerb())
        && resource.equals(e.getRequest().getKubernetes().getResource())).map(e -> e.getRequest().getRequestId())
        .collect(Collectors.toSet());
    for (VigilEvent e : session) {
      if (!requestIds.contains(e.getRequest().getRequestId())) {
        continue;
      }
      List<Finding> findings = e.getPayload() instanceof RequestReceived rr ? rr.getFindings()
          : e.getPayload() instanceof ResponseCompleted rc ? rc.getFindings() : List.of();
      for (Finding f : findings) {
        String location = f.getLocation().replaceAll("@\\d+$", "");
        if (location.endsWith("." + key) || location.endsWith("/" + key) || location.endsWith(key)) {
          return f.getFingerprint();
        }
      }
    }
    return null;
  }

  private static KubectlRuns.Result run(String subject, String... args) throws Exception {
    return KubectlRuns.run(dir, fx.writeClientKubeconfig(fx.mint(subject)), args);
  }

  private static String ok(KubectlRuns.Result r) {
    assertThat(r.exit()).as(r.stderr()).isZero();
    return r.stdout();
  }

  private static String token(int length) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(length)).substring(0, length);
  }

  private static String alnum(int length) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
  }

  private static String upper(int length) {
    return pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", length);
  }

  private static String digits(int length) {
    return pick("0123456789", length);
  }

  private static String hex(int length) {
    return pick("0123456789abcdef", length);
  }

  private static String pick(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}

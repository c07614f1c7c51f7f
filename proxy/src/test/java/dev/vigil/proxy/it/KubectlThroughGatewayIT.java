package dev.vigil.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.FreePorts;
import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.Topics;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.json.JsonObject;

/** Real kubectl through the gateway to kube-sim, with every call published to a real (embedded) Kafka broker. */
@ExtendWith(KafkaExtension.class)
class KubectlThroughGatewayIT {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;
  static VigilProxy downProxy;

  @BeforeAll
  static void start(EmbeddedKafka broker) throws Exception {
    kafka = broker;
    kafka.createTopic(Topics.EVENTS, 1, Map.of());
    fx = new GatewayFixture(dir);
    Map<String, String> kafkaSettings = Map.of(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5");
    fx.startProxy(fx.settings(kafkaSettings), null);
    Map<String, String> down = new java.util.HashMap<>(kafkaSettings);
    down.put(ProxyConfig.UPSTREAM_KUBECONFIG, fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + FreePorts.pick()).toString());
    down.put(ProxyConfig.GATEWAY_ID, "down-gateway");
    downProxy = fx.startProxy(fx.settings(down), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    fx.kubeSim.clearRequests();
  }

  @Test
  void shouldServeKubectlGetPodsAndPublishTheCallKeyedBySession() throws Exception {
    String subject = "kubectl-agent-" + System.nanoTime();
    Path kubeconfig = fx.writeClientKubeconfig(fx.mint(subject));

    Kubectl.Result r = Kubectl.run(dir, kubeconfig, "get", "pods", "-n", "payments");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("payments-api");
    List<ConsumerRecord<String, VigilEvent>> records = consume(rec -> subject.equals(rec.key()),
        rec -> rec.value().getPayload() instanceof ResponseCompleted && isPodList(rec.value()));
    VigilEvent received = records.stream().map(ConsumerRecord::value)
        .filter(e -> e.getPayload() instanceof RequestReceived && isPodList(e)).findFirst().orElseThrow();
    VigilEvent completed = records.stream().map(ConsumerRecord::value)
        .filter(e -> e.getPayload() instanceof ResponseCompleted
            && e.getRequest().getRequestId().equals(received.getRequest().getRequestId()))
        .findFirst().orElseThrow();
    assertThat(records).allSatisfy(rec -> assertThat(rec.value().getSessionKey()).isEqualTo(subject));
    assertThat(received.getRequest().getKubernetes().getNamespace()).isEqualTo("payments");
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("list");
    assertThat(received.getRequest().getUserAgent()).contains("kubectl");
    assertThat(((RequestReceived) received.getPayload()).getDecision().getEffect()).isEqualTo(Effect.ALLOW);
    assertThat(((ResponseCompleted) completed.getPayload()).getStatus()).isEqualTo(200);
    assertThat(completed.getSequence()).isGreaterThan(received.getSequence());
    assertThat(fx.kubeSim.requests()).isNotEmpty().allSatisfy(req ->
        assertThat(req.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN));
  }

  @Test
  void shouldRefuseInvalidExpiredAndUnknownKeyTokensBeforeTheUpstream() throws Exception {
    JsonObject expired = fx.issuer.claims("late-agent", List.of(), Duration.ofMinutes(5))
        .put("exp", Instant.now().minusSeconds(3600).getEpochSecond());
    // (no token at all makes kubectl prompt for a password instead of calling: covered with plain HTTP in GatewayTest)
    Map<String, String> tokens = Map.of(
        "invalid", "definitely-not-a-jwt",
        "expired", fx.issuer.mint(expired),
        "unknown key", fx.issuer.mintWithUnknownKey("rogue-agent"));

    for (Map.Entry<String, String> t : tokens.entrySet()) {
      Kubectl.Result r = Kubectl.run(dir, fx.writeClientKubeconfig(t.getValue()), "get", "pods", "-n", "payments");

      assertThat(r.exitCode()).as(t.getKey()).isNotZero();
      assertThat(r.stderr()).as(t.getKey()).containsAnyOf("Unauthorized", "must be logged in");
    }
    assertThat(fx.kubeSim.requests()).isEmpty();
    List<ConsumerRecord<String, VigilEvent>> denials = consume(rec -> "anonymous".equals(rec.key()),
        rec -> false, Duration.ofSeconds(5));
    assertThat(denials).anySatisfy(rec -> {
      assertThat(rec.value().getPayload()).isInstanceOf(RequestReceived.class);
      assertThat(((RequestReceived) rec.value().getPayload()).getDecision().getRuleId()).isEqualTo("authentication");
    });
    assertThat(denials).anySatisfy(rec -> assertThat(rec.value().getPayload()).isInstanceOfSatisfying(
        ResponseCompleted.class, rc -> assertThat(rc.getStatus()).isEqualTo(401)));
    assertThat(denials.toString()).doesNotContain(tokens.get("expired")).doesNotContain(tokens.get("unknown key"));
  }

  @Test
  void shouldNeverLetImpersonationThroughFromKubectl() throws Exception {
    Path kubeconfig = fx.writeClientKubeconfig(fx.mint("sneaky-agent"));

    Kubectl.run(dir, kubeconfig, "get", "secrets", "-n", "payments", "--as=system:admin", "--as-group=system:masters");

    List<RecordedRequest> seen = fx.kubeSim.requests();
    assertThat(seen).isNotEmpty().allSatisfy(req -> {
      assertThat(req.headers("impersonate-user")).containsExactly("sneaky-agent"); // the gateway's, not --as
      assertThat(req.headers().toString()).doesNotContain("system:admin", "system:masters");
      assertThat(req.headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    });
  }

  @Test
  void shouldAnswer502AndPublishAnUpstreamErrorWhenTheUpstreamIsDown() throws Exception {
    String subject = "stranded-agent-" + System.nanoTime();
    Path kubeconfig = fx.writeClientKubeconfig(fx.mint(subject), downProxy.port());

    // --raw skips discovery, whose errors kubectl reports without the server's message
    Kubectl.Result r = Kubectl.run(dir, kubeconfig, "get", "--raw", "/api/v1/namespaces/payments/pods");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("is unavailable through the Vigil gateway");
    List<ConsumerRecord<String, VigilEvent>> records = consume(rec -> subject.equals(rec.key()),
        rec -> rec.value().getPayload() instanceof UpstreamError);
    UpstreamError error = records.stream().map(ConsumerRecord::value).map(VigilEvent::getPayload)
        .filter(UpstreamError.class::isInstance).map(UpstreamError.class::cast).findFirst().orElseThrow();
    assertThat(error.getStatusToClient()).isEqualTo(502);
    assertThat(error.getErrorType()).isEqualTo("CONNECT_FAILED");
    assertThat(records).allSatisfy(rec -> assertThat(rec.value().getGatewayId()).isEqualTo("down-gateway"));
  }

  @Test
  void shouldStreamKubectlWatchAsEventsHappen() throws Exception {
    Path kubeconfig = fx.writeClientKubeconfig(fx.mint("watching-agent"));
    Process watch = Kubectl.start(dir, kubeconfig, "get", "pods", "-n", "payments", "--watch", "-o", "name");
    try {
      LinkedBlockingQueue<String> lines = Kubectl.lines(watch);
      assertThat(lines.poll(30, TimeUnit.SECONDS)).as("initial listing").isNotNull();
      // kubectl lists, prints, then opens the watch: create the pod once the watch reached the upstream
      long watchDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (fx.kubeSim.requests().stream().noneMatch(q -> q.query() != null && q.query().contains("watch=true"))
          && System.nanoTime() < watchDeadline) {
        Thread.sleep(50);
      }

      String name = "live-" + System.nanoTime();
      fx.kubeSim.store().apply("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: payments}\n"
          + "spec:\n  containers: [{name: c, image: busybox}]\n");

      String seen = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seen == null && System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null && line.contains(name)) {
          seen = line;
        }
      }
      assertThat(seen).as("the new pod arrives through the open watch").isEqualTo("pod/" + name);
      assertThat(watch.isAlive()).isTrue();
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean isPodList(VigilEvent e) {
    var k = e.getRequest().getKubernetes();
    return k != null && "pods".equals(k.getResource()) && "list".equals(k.getVerb()) && "payments".equals(k.getNamespace());
  }

  private static List<ConsumerRecord<String, VigilEvent>> consume(Predicate<ConsumerRecord<String, VigilEvent>> filter,
      Predicate<ConsumerRecord<String, VigilEvent>> done) {
    return consume(filter, done, Duration.ofSeconds(30));
  }

  /** Reads the events topic from the start, keeping matching records, until {@code done} matches or time runs out. */
  private static List<ConsumerRecord<String, VigilEvent>> consume(Predicate<ConsumerRecord<String, VigilEvent>> filter,
      Predicate<ConsumerRecord<String, VigilEvent>> done, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, VigilEvent>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          ConsumerRecord<String, VigilEvent> rec = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
              raw.key(), VigilSerdes.events().decode(raw.value()));
          if (filter.test(rec)) {
            out.add(rec);
            if (done.test(rec)) {
              return out;
            }
          }
        }
      }
    }
    return out;
  }

  /** Runs the real kubectl with an isolated HOME (no discovery cache shared between tests). */
  static final class Kubectl {

    record Result(int exitCode, String stdout, String stderr) {}

    static Result run(Path dir, Path kubeconfig, String... args) throws IOException, InterruptedException {
      Process p = start(dir, kubeconfig, args);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl did not finish in 60 s");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Process start(Path dir, Path kubeconfig, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString()));
      cmd.addAll(List.of(args));
      Path home = Files.createDirectories(dir.resolve("home-" + System.nanoTime()));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().remove("KUBECONFIG");
      pb.environment().put("HOME", home.toString());
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))); // never prompt for credentials
      if (System.getProperty("vigil.it.kubectl.verbose") != null) {
        pb.redirectError(dir.resolve("kubectl-" + System.nanoTime() + ".err").toFile());
      }
      return pb.start();
    }

    static LinkedBlockingQueue<String> lines(Process p) {
      LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            q.add(line);
          }
        } catch (IOException e) {
          // process ended
        }
      }, "kubectl-stdout");
      t.setDaemon(true);
      t.start();
      return q;
    }
  }
}

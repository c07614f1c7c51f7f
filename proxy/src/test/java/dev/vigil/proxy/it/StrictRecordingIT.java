package dev.vigil.proxy.it;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Strict recording with a real broker of its own (never the shared one): while the broker is down, strict calls get
 * 503 within the bound and kube-sim sees nothing that is not in Kafka; after a restart on the same data directory and
 * port, traffic resumes.
 */
class StrictRecordingIT {

  static final String POLICY = """
      defaultEffect: allow
      defaults:
        recording: strict
      rules:
        - id: everything
          effect: allow
          match: all
      """;
  static final Duration BOUND = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data")));
    kafka.createTopic(Topics.EVENTS, 1, Map.of());
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    Map<String, String> settings = new HashMap<>();
    settings.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers());
    settings.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5");
    settings.put(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".reconnect.backoff.max.ms", "500");
    settings.put(ProxyConfig.POLICY_FILE, policy.toString());
    settings.put(ProxyConfig.RECORDING_STRICT_TIMEOUT, BOUND.toMillis() + "ms");
    fx.startProxy(fx.settings(settings), null);
    token = fx.mint("strict-agent");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldRefuseStrictCallsWhileTheBrokerIsDownAndResumeAfterARestart() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(call("before-" + i).statusCode()).isEqualTo(200);
    }
    List<VigilEvent> before = received(3);
    assertThat(before).hasSize(3);
    assertThat(before).allSatisfy(e -> assertThat(((RequestReceived) e.getPayload()).getDecision().getStrict()).isTrue());

    int port = kafka.port();
    kafka.close();
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      HttpResponse<Buffer> resp = call("down-" + i);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(resp.statusCode()).isEqualTo(503);
      assertThat(resp.bodyAsJsonObject().getString("message")).contains("strict mode");
      assertThat(took).isLessThan(BOUND.plusSeconds(3));
    }
    Set<String> recordedBeforeStop = before.stream().map(e -> e.getRequest().getQuery()).collect(Collectors.toSet());
    List<String> seenUpstream = fx.kubeSim.requests().stream().map(RecordedRequest::query).toList();
    assertThat(seenUpstream).hasSize(3).allSatisfy(q -> assertThat(recordedBeforeStop).contains(q));
    HttpResponse<Buffer> status = await(fx.client().get("/vigil/status").send());
    assertThat(status.bodyAsJsonObject().getJsonObject("strict").getLong("refused")).isGreaterThanOrEqualTo(3);

    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data")).withPort(port));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int resumed = -1;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      if (call("after-" + i).statusCode() == 200) {
        resumed = i;
        break;
      }
    }
    assertThat(resumed).as("a strict call succeeds after the broker restarted").isGreaterThanOrEqualTo(0);
    String last = "labelSelector=call%3Dafter-" + resumed;
    List<VigilEvent> all = KubectlRuns.consume(kafka.bootstrapServers(), Topics.EVENTS, "strict-agent",
        e -> e.getPayload() instanceof RequestReceived && last.equals(e.getRequest().getQuery()));
    Set<String> inKafka = all.stream().filter(e -> e.getPayload() instanceof RequestReceived)
        .map(e -> e.getRequest().getQuery()).collect(Collectors.toSet());
    assertThat(inKafka).contains(last);
    assertThat(fx.kubeSim.requests()).allSatisfy(r -> assertThat(inKafka).contains(r.query()));
  }

  private static HttpResponse<Buffer> call(String id) throws Exception {
    return await(fx.client().get("/api/v1/namespaces/default/pods?labelSelector=call%3D" + id)
        .putHeader("Authorization", "Bearer " + token).send());
  }

  private static List<VigilEvent> received(int count) {
    int[] n = {0};
    return KubectlRuns.consume(kafka.bootstrapServers(), Topics.EVENTS, "strict-agent",
        e -> e.getPayload() instanceof RequestReceived && ++n[0] >= count).stream()
        .filter(e -> e.getPayload() instanceof RequestReceived).toList();
  }
}

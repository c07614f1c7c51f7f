package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Strict (fail-closed) recording against kube-sim, with a sink whose acknowledgements the test controls. */
class StrictRecordingTest {

  /** A sink that keeps every event offered and acknowledges, never acknowledges, or fails, as the test says. */
  static final class ControlledSink implements RecordingSink {
    enum Mode { ACK, NEVER, FAIL }

    final List<VigilEvent> offered = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.ACK;

    @Override
    public Future<Void> record(VigilEvent event) {
      offered.add(event);
      switch (mode) {
        case ACK: return Future.succeededFuture();
        case FAIL: return Future.failedFuture(new IllegalStateException("broker down (test)"));
        default: return Promise.<Void>promise().future();
      }
    }
  }

  static final String POLICY = """
      defaultEffect: allow
      rules:
        - id: strict-payments
          effect: allow
          verbs: ["*"]
          resources: ["*"]
          namespaces: [payments]
          recording: strict
      """;

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final ControlledSink sink = new ControlledSink();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    fx.startProxy(fx.settings(Map.of(
        ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.RECORDING_STRICT_TIMEOUT, "500ms")), sink);
    token = fx.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.mode = ControlledSink.Mode.ACK;
    sink.offered.clear();
    fx.kubeSim.clearRequests();
  }

  @Test
  void shouldRefuseAStrictCallWhoseRecordIsNeverAcknowledged() throws Exception {
    sink.mode = ControlledSink.Mode.NEVER;
    long refusedBefore = strictRefused();
    long t0 = System.nanoTime();

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + token).send());

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450))
        .isLessThan(Duration.ofSeconds(5));
    assertStrict503(resp);
    assertThat(fx.kubeSim.requests()).isEmpty();
    assertThat(strictRefused()).isEqualTo(refusedBefore + 1);
    RequestReceived received = (RequestReceived) sink.offered.get(0).getPayload();
    assertThat(received.getDecision().getStrict()).isTrue();
  }

  @Test
  void shouldRefuseAStrictWriteWhoseRecordFailsWithoutForwardingItsBody() throws Exception {
    sink.mode = ControlledSink.Mode.FAIL;
    long refusedBefore = strictRefused();

    HttpResponse<Buffer> resp = await(fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"strict-x\"}}")));

    assertStrict503(resp);
    assertThat(fx.kubeSim.requests()).isEmpty();
    assertThat(strictRefused()).isEqualTo(refusedBefore + 1);
  }

  @Test
  void shouldForwardABestEffortCallWithTheSameFailingSink() throws Exception {
    sink.mode = ControlledSink.Mode.NEVER;

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/default/pods")
        .putHeader("Authorization", "Bearer " + token).send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(fx.kubeSim.requests()).hasSize(1);
    RequestReceived received = (RequestReceived) sink.offered.get(0).getPayload();
    assertThat(received.getDecision().getStrict()).isFalse();
  }

  @Test
  void shouldForwardAStrictCallOnceAcknowledgedAndClaimStrictInTheRecord() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + token).send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(fx.kubeSim.requests()).hasSize(1);
    RequestReceived received = (RequestReceived) sink.offered.get(0).getPayload();
    assertThat(received.getDecision().getStrict()).isTrue();
    assertThat(received.getDecision().getRuleId()).isEqualTo("strict-payments");
  }

  @Test
  void shouldEndAStrictWatchWhenAFrameIsNotAcknowledged() throws Exception {
    String name = "strict-watched-" + System.nanoTime();
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(),
        "/api/v1/namespaces/payments/pods?watch=true&fieldSelector=metadata.name%3D" + name, token, "strict-watch");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sink.offered.stream().noneMatch(e -> e.getPayload() instanceof RequestReceived) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long endedBefore = strictStatus().getLong("streamsEnded");
    sink.mode = ControlledSink.Mode.NEVER;

    fx.kubeSim.store().apply("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: payments}\n"
        + "spec:\n  containers: [{name: c, image: busybox}]\n");
    assertThat(watch.awaitText("ADDED", Duration.ofSeconds(10))).contains(name);
    deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!watch.ended.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(watch.ended).as("the strict watch was ended").isTrue();
    assertThat(strictStatus().getLong("streamsEnded")).isEqualTo(endedBefore + 1);
    watch.close();
  }

  static void assertStrict503(HttpResponse<Buffer> resp) {
    assertThat(resp.statusCode()).isEqualTo(503);
    JsonObject status = resp.bodyAsJsonObject();
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo("ServiceUnavailable");
    assertThat(status.getString("message")).isEqualTo("recording is unavailable: the call was not forwarded because "
        + "Vigil could not record it (strict mode)");
  }

  static long strictRefused() throws Exception {
    return strictStatus().getLong("refused");
  }

  static JsonObject strictStatus() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/status").send());
    return resp.bodyAsJsonObject().getJsonObject("strict");
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.ops.RequestIds;
import dev.vigil.ops.VigilMetrics;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/** The gateway's request id reaches the caller, and its decisions and recording show in the Prometheus registry. */
class ObservabilityTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  /** The request id bound to the Vert.x context each event was recorded from (what the log context shows). */
  static final Map<String, String> boundIds = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    VigilMetrics.prometheus();
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of()), event -> {
      String bound = RequestIds.current();
      boundIds.put(event.getEventId(), bound == null ? "none" : bound);
      return sink.record(event);
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldEchoTheRecordedRequestIdAndIgnoreTheCallersOwn() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-1"))
        .putHeader("X-Request-Id", "caller-chosen").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    String id = resp.getHeader("X-Request-Id");
    assertThat(id).isNotBlank().isNotEqualTo("caller-chosen");
    List<VigilEvent> events = sink.await(e -> e.getPayload() instanceof RequestReceived
        && id.equals(e.getRequest().getRequestId()), 1, Duration.ofSeconds(10));
    assertThat(events).hasSize(1);
    assertThat(boundIds.get(events.get(0).getEventId())).as("the id log lines of this call carry").isEqualTo(id);
  }

  @Test
  void shouldEchoTheRequestIdOnRefusals() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces").send());

    assertThat(resp.statusCode()).isEqualTo(401);
    assertThat(resp.getHeader("X-Request-Id")).isNotBlank();
  }

  @Test
  void shouldExposeDecisionAndRecordingMetrics() throws Exception {
    await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-2")).send());
    sink.await(e -> true, 2, Duration.ofSeconds(10));

    String scrape = VigilMetrics.prometheus().scrape();

    assertThat(scrape)
        .contains("vigil_proxy_decisions_total{channel=\"kubernetes\",effect=\"allow\",rule=\"default\"}")
        .contains("vigil_proxy_recording_ack_seconds_count{outcome=\"ok\"}")
        .contains("vigil_proxy_events_recorded_total{gateway=\"test-gateway\"}")
        .contains("vigil_proxy_strict_refused_total{gateway=\"test-gateway\"}")
        .contains("vigil_proxy_sessions_tracked{gateway=\"test-gateway\"}");
  }
}

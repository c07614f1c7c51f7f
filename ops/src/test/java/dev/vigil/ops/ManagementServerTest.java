package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.vigil.embedded.junit.FreePorts;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

class ManagementServerTest {

  private final Vertx vertx = VigilMetrics.vertx(new io.vertx.core.VertxOptions());
  private final HttpClient http = HttpClient.newHttpClient();
  private ManagementServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void start(ReadinessCheck... checks) throws Exception {
    server = ManagementServer.start(vertx, "127.0.0.1", 0, new Readiness(List.of(checks)), VigilMetrics.prometheus())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldAnswerNotReadyWhenKafkaIsDown() throws Exception {
    int unused = FreePorts.pick();
    start(new KafkaReachability(Map.of("bootstrap.servers", "127.0.0.1:" + unused), Duration.ofMillis(500)));

    HttpResponse<String> ready = get("/readyz");

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("not-ready");
    assertThat(body.getJsonObject("checks").getJsonObject("kafka").getBoolean("ready")).isFalse();
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAnswerReadyWhenEveryCheckPasses() throws Exception {
    start(new Fixed("kafka", true), new Fixed("opensearch", true));

    HttpResponse<String> ready = get("/readyz");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getJsonObject("checks").fieldNames()).containsExactlyInAnyOrder(
        "kafka", "opensearch");
  }

  @Test
  void shouldExposeOwnAndVertxMetrics() throws Exception {
    start();
    Counter.builder("vigil.test.things").tag("kind", "a").register(VigilMetrics.registry()).increment(3);
    get("/healthz");

    HttpResponse<String> metrics = get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).contains("vigil_test_things_total{kind=\"a\"} 3.0")
        .contains("jvm_memory_used_bytes")
        .contains("vertx_http_server_requests_total");
  }

  @Test
  void shouldRefuseUnknownPaths() throws Exception {
    start();
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  private record Fixed(String name, boolean ready) implements ReadinessCheck {
    @Override
    public boolean probe() {
      return ready;
    }
  }
}

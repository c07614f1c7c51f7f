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

import dev.vigil.embedded.junit.FreePorts;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** What the caller and the recording see when the upstream is down or does not answer. */
class UpstreamFailureTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static HttpServer silent;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    // accepts TLS connections and requests but never answers
    silent = await(fx.vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(fx.pki.issueServer("silent", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .requestHandler(req -> { })
        .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (silent != null) {
      await(silent.close());
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldAnswer502AndRecordUpstreamErrorWhenTheUpstreamIsDown() throws Exception {
    int closedPort = FreePorts.pick();
    InMemorySink sink = new InMemorySink();
    VigilProxy proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + closedPort).toString())), sink);
    WebClient client = fx.client(proxy.port());

    HttpResponse<Buffer> resp = await(client.get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-1")).send());

    assertThat(resp.statusCode()).isEqualTo(502);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject status = resp.bodyAsJsonObject();
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getInteger("code")).isEqualTo(502);
    assertThat(status.getString("message")).contains("unavailable").contains("127.0.0.1:" + closedPort)
        .doesNotContain(GatewayFixture.GATEWAY_TOKEN);
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getPayload()).isInstanceOf(RequestReceived.class);
    UpstreamError error = (UpstreamError) events.get(1).getPayload();
    assertThat(error.getErrorType()).isEqualTo("CONNECT_FAILED");
    assertThat(error.getStatusToClient()).isEqualTo(502);
    Thread.sleep(200);
    assertThat(sink.events()).noneMatch(e -> e.getPayload() instanceof ResponseCompleted);
    client.close();
  }

  @Test
  void shouldAnswer504AndRecordATimeoutWhenTheUpstreamDoesNotAnswer() throws Exception {
    InMemorySink sink = new InMemorySink();
    VigilProxy proxy = fx.startProxy(fx.settings(Map.of(
        ProxyConfig.UPSTREAM_IDLE_TIMEOUT, "1s",
        ProxyConfig.UPSTREAM_KUBECONFIG, fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + silent.actualPort()).toString())), sink);
    WebClient client = fx.client(proxy.port());

    HttpResponse<Buffer> resp = await(client.get("/api/v1/namespaces")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-1")).send());

    assertThat(resp.statusCode()).isEqualTo(504);
    assertThat(resp.bodyAsJsonObject().getString("reason")).isEqualTo("Timeout");
    List<VigilEvent> events = sink.await(e -> e.getPayload() instanceof UpstreamError, 1, Duration.ofSeconds(5));
    UpstreamError error = (UpstreamError) events.get(0).getPayload();
    assertThat(error.getErrorType()).isEqualTo("TIMEOUT");
    assertThat(error.getStatusToClient()).isEqualTo(504);
    assertThat(error.getDurationMillis()).isGreaterThanOrEqualTo(900);
    client.close();
  }
}

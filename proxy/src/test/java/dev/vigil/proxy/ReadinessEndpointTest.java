package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.FreePorts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** {@code /vigil/readyz} says whether the recording sink's Kafka cluster answers; no authentication, never recorded. */
class ReadinessEndpointTest {

  @TempDir
  Path dir;
  GatewayFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldAnswerNotReadyWhenKafkaIsDown() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers",
        "127.0.0.1:" + FreePorts.pick())), null);

    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/readyz").send());

    assertThat(resp.statusCode()).isEqualTo(503);
    JsonObject body = resp.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("not-ready");
    assertThat(body.getJsonObject("checks").getJsonObject("kafka").getBoolean("ready")).isFalse();
    assertThat(await(fx.client().get("/vigil/healthz").send()).statusCode()).isEqualTo(200);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldAnswerReadyWithAnInjectedSink() throws Exception {
    fx = new GatewayFixture(dir);
    InMemorySink sink = new InMemorySink();
    fx.startProxy(fx.settings(Map.of()), sink);

    HttpResponse<Buffer> resp = await(fx.client().get("/vigil/readyz").send());

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.bodyAsJsonObject().getString("status")).isEqualTo("ready");
    assertThat(sink.events()).isEmpty();
  }
}

package dev.vigil.proxy.it;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/** With Kafka up, {@code /vigil/readyz} answers 200. */
@ExtendWith(KafkaExtension.class)
class ReadinessIT {

  @TempDir
  Path dir;

  @Test
  void shouldAnswerReadyWhenKafkaIsUp(EmbeddedKafka kafka) throws Exception {
    GatewayFixture fx = new GatewayFixture(dir);
    try {
      fx.startProxy(fx.settings(Map.of(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers())),
          null);

      HttpResponse<Buffer> resp = await(fx.client().get("/vigil/readyz").send());

      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.bodyAsJsonObject().getJsonObject("checks").getJsonObject("kafka").getBoolean("ready")).isTrue();
    } finally {
      fx.close();
    }
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/** A failure inside the gateway's request handling is answered with a 500 Status and recorded, never a bare 502. */
class InternalErrorTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink recorded = new InMemorySink();
  static final AtomicBoolean breakNext = new AtomicBoolean();

  /** A broken sink: answers one RequestReceived with null instead of a future, which blows up in the gateway. */
  static final RecordingSink sink = event -> {
    if (event.getPayload() instanceof RequestReceived && breakNext.getAndSet(false)) {
      return null;
    }
    return recorded.record(event);
  };

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of()), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldAnswerA500StatusAndRecordTheFailure() throws Exception {
    breakNext.set(true);

    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods")
        .putHeader("Authorization", "Bearer " + fx.mint("unlucky")).send());

    assertThat(resp.statusCode()).isEqualTo(500);
    assertThat(resp.bodyAsJsonObject().getString("kind")).isEqualTo("Status");
    assertThat(resp.bodyAsJsonObject().getString("reason")).isEqualTo("InternalError");
    List<VigilEvent> events = recorded.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("internal-error");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(500);
    assertThat(events.get(0).getIdentity().getUsername()).isEqualTo("unlucky");
  }
}

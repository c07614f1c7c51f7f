package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;

/**
 * What the gateway refuses before vertx-http-proxy sees it (HTTP/1.0, unsupported Transfer-Encoding), stalled
 * request bodies, and the server idle timeout — each refusal answered with a Status and recorded.
 */
class ProtocolGuardTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static VigilProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.SERVER_IDLE_TIMEOUT, "1s")), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  private static List<VigilEvent> call() throws InterruptedException {
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(10));
    assertThat(events).hasSize(2);
    return events;
  }

  private static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}";
  }

  @Test
  void shouldAnswerHttp10With505AndRecordIt() throws Exception {
    RawConnection c = RawConnection.open(fx, proxy.port());
    String response = c.send("GET /api/v1/namespaces/payments/pods HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("old-client") + "\r\n\r\n").awaitText("}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.0 505").contains("\"kind\":\"Status\"", "\"code\":505");
    List<VigilEvent> events = call();
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(events.get(0).getIdentity().getUsername()).isEqualTo("old-client");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(505);
    assertThat(fx.kubeSim.requests()).isEmpty();
    c.close();
  }

  @Test
  void shouldRefuseAnUnsupportedTransferEncodingWith501AndCloseTheConnection() throws Exception {
    RawConnection c = RawConnection.open(fx, proxy.port());
    String response = c.send("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("odd-client") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        + "5\r\nhello\r\n").awaitText("}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.1 501").contains("\"kind\":\"Status\"", "Transfer-Encoding");
    assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    List<VigilEvent> events = call();
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(501);
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldAcceptChunkedInAnyLetterCaseLikeKubeApiserver() throws Exception {
    String body = configMap("mixed-case-" + System.nanoTime());
    RawConnection c = RawConnection.open(fx, proxy.port());
    String response = c.send("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("odd-client") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\n\r\n"
        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").awaitText("}}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.1 201");
    assertThat(fx.kubeSim.requests()).hasSize(1);
    c.close();
  }

  @Test
  void shouldRefuseAStalledRequestBodyWith408() throws Exception {
    RawConnection c = RawConnection.open(fx, proxy.port());
    String response = c.send("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("slow-client") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\n{\"a\":\r\n").awaitText("}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.1 408").contains("\"kind\":\"Status\"");
    assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    List<VigilEvent> events = call();
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("request-timeout");
    assertThat(fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldCloseIdleConnectionsButKeepBusyOnesOpen() throws Exception {
    RawConnection silent = RawConnection.open(fx, proxy.port());
    assertThat(silent.awaitClosed(Duration.ofSeconds(5))).as("a connection that never sends a request").isTrue();

    RawConnection keptAlive = RawConnection.open(fx, proxy.port());
    keptAlive.send("GET /api/v1/namespaces/payments/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + fx.mint("keep-alive") + "\r\n\r\n");
    assertThat(keptAlive.awaitText("PodList", Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
    assertThat(keptAlive.awaitClosed(Duration.ofSeconds(5))).as("idle after its response").isTrue();

    StreamClient watch = StreamClient.open(fx, proxy.port(), "/api/v1/namespaces/payments/pods?watch=true&timeoutSeconds=4",
        fx.mint("watcher"), null);
    watch.awaitText("ADDED", Duration.ofSeconds(5));
    Thread.sleep(2_500); // quiet longer than the idle timeout, but a call is in progress
    assertThat(watch.ended).isFalse();
    watch.close();
  }
}

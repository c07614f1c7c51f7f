package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The WebSocket bearer subprotocol ({@code base64url.bearer.authorization.k8s.io.<token>}), which browser-style
 * clients use instead of an Authorization header: accepted as the caller's credential, and never forwarded upstream
 * nor recorded.
 */
class WebSocketBearerTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();

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

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  private static String bearerProtocol(String token) {
    return "base64url.bearer.authorization.k8s.io."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private static WebSocket connect(String... subprotocols) throws Exception {
    WebSocketClient client = fx.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.proxy().port())
        .setURI("/api/v1/namespaces/default/pods/nginx/exec?command=sh&command=-c&command=echo+hi&stdout=true&stderr=true")
        .setSubProtocols(List.of(subprotocols));
    return await(client.connect(o));
  }

  @Test
  void shouldAcceptTheBearerSubprotocolAsCredentialAndNeverPassItOn() throws Exception {
    String token = fx.mint("browser-agent");
    String protocol = bearerProtocol(token);

    WebSocket ws = connect("v5.channel.k8s.io", protocol);

    assertThat(ws.subProtocol()).isEqualTo("v5.channel.k8s.io");
    await(ws.close());
    List<RecordedRequest> seen = fx.kubeSim.requests();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).headers("sec-websocket-protocol")).containsExactly("v5.channel.k8s.io");
    assertThat(seen.get(0).headers("authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(seen.get(0).headers("impersonate-user")).containsExactly("browser-agent");
    VigilEvent received = sink.await(e -> e.getPayload() instanceof RequestReceived, 1, Duration.ofSeconds(5)).get(0);
    assertThat(received.getIdentity().getUsername()).isEqualTo("browser-agent");
    assertThat(((RequestReceived) received.getPayload()).getHeaders()).containsEntry("sec-websocket-protocol", "v5.channel.k8s.io");
    assertThat(sink.events().toString()).doesNotContain(token).doesNotContain(protocol.substring(40));
  }

  @Test
  void shouldRefuseAnInvalidOrLoneBearerSubprotocolWithoutForwarding() throws Exception {
    assertThatThrownBy(() -> connect("v5.channel.k8s.io", bearerProtocol("not-a-jwt"))).hasMessageContaining("401");
    assertThatThrownBy(() -> connect(bearerProtocol(fx.mint("lonely")))).hasMessageContaining("401");

    assertThat(fx.kubeSim.requests()).isEmpty();
    List<VigilEvent> denials = sink.await(e -> e.getPayload() instanceof RequestReceived, 2, Duration.ofSeconds(5));
    assertThat(denials).extracting(e -> ((RequestReceived) e.getPayload()).getDecision().getReason())
        .containsExactly("unauthenticated: malformed token: not a signed JWT",
            "unauthenticated: a WebSocket bearer token needs another subprotocol next to it");
    assertThat(denials.toString()).doesNotContain("base64url.bearer");
  }
}

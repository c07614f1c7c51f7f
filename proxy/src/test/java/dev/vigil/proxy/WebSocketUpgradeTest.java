package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;

/** Upgrades (the transport of kubectl exec/attach) are authenticated, stripped and relayed like any call. */
class WebSocketUpgradeTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static HttpServer echo;
  static final List<MultiMap> upgrades = new CopyOnWriteArrayList<>();
  static final InMemorySink sink = new InMemorySink();
  static VigilProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    echo = await(fx.vertx.createHttpServer(new HttpServerOptions().setSsl(true).addWebSocketSubProtocol("v5.channel.k8s.io")
            .setKeyCertOptions(fx.pki.issueServer("echo", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .webSocketHandler(ws -> {
          upgrades.add(MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()));
          ws.textMessageHandler(ws::writeTextMessage);
        })
        .listen(0, "127.0.0.1"));
    proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + echo.actualPort()).toString())), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (echo != null) {
      await(echo.close());
    }
    if (fx != null) {
      fx.close();
    }
  }

  private WebSocketClient client() {
    return fx.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
  }

  private static WebSocketConnectOptions exec(String authorization) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/api/v1/namespaces/payments/pods/api-0/exec?command=sh&stdin=true&stdout=true")
        .addSubProtocol("v5.channel.k8s.io")
        .addHeader("Impersonate-User", "system:admin");
    if (authorization != null) {
      o.addHeader("Authorization", authorization);
    }
    return o;
  }

  @Test
  void shouldRelayAnAuthenticatedUpgradeWithTheGatewayCredentialOnly() throws Exception {
    sink.clear();
    upgrades.clear();
    WebSocketClient client = client();
    WebSocket ws = await(client.connect(exec("Bearer " + fx.mint("exec-agent"))));
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    ws.textMessageHandler(received::add);

    await(ws.writeTextMessage("hello"));

    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(upgrades).hasSize(1);
    assertThat(upgrades.get(0).getAll("Authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    assertThat(upgrades.get(0).contains("Impersonate-User")).isFalse();
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(events.get(0).getRequest().getKubernetes().getSubresource()).isEqualTo("exec");
    assertThat(events.get(0).getRequest().getKubernetes().getVerb()).isEqualTo("get");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(101);
    await(ws.close());
    await(client.close());
  }

  @Test
  void shouldRefuseAnUnauthenticatedUpgradeWith401() throws Exception {
    sink.clear();
    upgrades.clear();
    WebSocketClient client = client();

    assertThatThrownBy(() -> await(client.connect(exec(null)))).hasMessageContaining("401");

    assertThat(upgrades).isEmpty();
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("authentication");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(401);
    await(client.close());
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;

/** A WebSocket relay whose caller or upstream goes away without a close frame: the other side is closed, the call recorded. */
class WebSocketLossTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static ChannelUpstream upstream;
  static final InMemorySink sink = new InMemorySink();
  static VigilProxy proxy;
  static WebSocketClient client;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    upstream = new ChannelUpstream(fx);
    proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + upstream.port()).toString())), sink);
    client = fx.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static WebSocketConnectOptions exec(String pod, String command, String... protocols) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/api/v1/namespaces/payments/pods/" + pod + "/exec?command=" + command + "&stdin=true&stdout=true")
        .addHeader("Authorization", "Bearer " + fx.mint("exec-agent"));
    for (String p : protocols) {
      o.addSubProtocol(p);
    }
    return o;
  }

  private static String requestId() throws InterruptedException {
    return sink.await(e -> e.getPayload() instanceof RequestReceived, 1, Duration.ofSeconds(10)).get(0)
        .getRequest().getRequestId();
  }

  @Test
  void shouldCloseTheUpstreamAndRecordTheCallWhenTheCallerVanishes() throws Exception {
    RawConnection raw = RawConnection.open(fx, proxy.port());
    raw.send("GET /api/v1/namespaces/payments/pods/api-0/exec?command=sleep&stdin=true HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + fx.mint("vanishing") + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n");
    assertThat(raw.awaitText("\r\n\r\n", Duration.ofSeconds(10))).startsWith("HTTP/1.1 101");

    raw.close(); // no close frame: the TCP connection just goes away

    ResponseCompleted rc = StreamClient.completed(sink, requestId());
    assertThat(rc).isNotNull();
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (upstream.closeCodesSeen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(upstream.closeCodesSeen).contains((short) 1001);
  }

  @Test
  void shouldRecordAnUpstreamThatVanishesAsAResetAndCloseTheCaller() throws Exception {
    NetServer vanishing = await(fx.vertx.createNetServer(new NetServerOptions().setSsl(true)
            .setKeyCertOptions(fx.pki.issueServer("vanishing", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .connectHandler(WebSocketLossTest::acceptThenVanish)
        .listen(0, "127.0.0.1"));
    InMemorySink vanishingSink = new InMemorySink();
    VigilProxy gateway = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + vanishing.actualPort()).toString())), vanishingSink);
    WebSocketConnectOptions o = exec("api-0", "sh", "v5.channel.k8s.io").setPort(gateway.port());

    Session s = connect(o);

    assertThat(s.next(1)).isEqualTo("bye\n");
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1011);
    String requestId = vanishingSink.await(e -> e.getPayload() instanceof RequestReceived, 1, Duration.ofSeconds(5)).get(0)
        .getRequest().getRequestId();
    ResponseCompleted rc = StreamClient.completed(vanishingSink, requestId);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(rc.getHeaders().get("vigil-upstream-error")).startsWith("RESET");
    assertThat(rc.getFramesRecorded()).isEqualTo(1);
    await(vanishing.close());
  }

  /** Accepts a WebSocket upgrade by hand, sends one stdout message, then drops the TCP connection (no close frame). */
  private static void acceptThenVanish(NetSocket socket) {
    StringBuilder head = new StringBuilder();
    socket.handler(b -> {
      head.append(b.toString(StandardCharsets.ISO_8859_1));
      if (head.indexOf("\r\n\r\n") < 0) {
        return;
      }
      String key = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:"))
          .findFirst().orElseThrow().substring("sec-websocket-key:".length()).strip();
      String accept;
      try {
        accept = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      socket.handler(null);
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n");
      socket.write(Buffer.buffer(new byte[] {(byte) 0x82, 5, 1, 'b', 'y', 'e', '\n'}))
          .onComplete(ar -> fx.vertx.setTimer(200, id -> socket.close()));
    });
  }

  /** Connects, collecting binary messages and the close code. */
  private static Session connect(WebSocketConnectOptions o) throws Exception {
    Session s = new Session();
    s.ws = await(client.connect(o).map(ws -> {
      ws.binaryMessageHandler(s.messages::add);
      ws.closeHandler(v -> s.closed.complete(ws.closeStatusCode()));
      return ws;
    }));
    return s;
  }

  static final class Session {
    WebSocket ws;
    final LinkedBlockingQueue<Buffer> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();

    String next(int channel) throws InterruptedException {
      Buffer b = messages.poll(10, TimeUnit.SECONDS);
      assertThat(b).as("message on channel " + channel).isNotNull();
      assertThat(b.getByte(0) & 0xFF).isEqualTo(channel);
      return b.getString(1, b.length());
    }
  }
}

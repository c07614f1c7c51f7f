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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;

/**
 * exec/attach over WebSocket, terminated on both sides by the gateway, against an upstream speaking the channel
 * protocol: subprotocol negotiation, credentials, message-by-message relay and recording per channel and direction,
 * close codes, upstream refusals, SPDY refusal.
 */
class WebSocketRelayTest {

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

  @BeforeEach
  void reset() {
    sink.clear();
    upstream.upgrades.clear();
    upstream.received.clear();
  }

  private static WebSocketConnectOptions exec(String pod, String command, String... protocols) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/api/v1/namespaces/payments/pods/" + pod + "/exec?command=" + command + "&stdin=true&stdout=true&stderr=true")
        .addHeader("Authorization", "Bearer " + fx.mint("exec-agent"))
        .addHeader("Impersonate-User", "system:admin");
    for (String p : protocols) {
      o.addSubProtocol(p);
    }
    return o;
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

  private static String requestId() throws InterruptedException {
    return sink.await(e -> e.getPayload() instanceof RequestReceived, 1, Duration.ofSeconds(10)).get(0)
        .getRequest().getRequestId();
  }

  @Test
  void shouldRelayANonInteractiveExecAndRecordEveryChannel() throws Exception {
    Session s = connect(exec("api-0", "env", "v5.channel.k8s.io"));

    assertThat(s.ws.subProtocol()).isEqualTo("v5.channel.k8s.io");
    assertThat(s.next(1)).isEqualTo("A=1\nB=2\n");
    assertThat(s.next(2)).isEqualTo("warning: pretend\n");
    assertThat(s.next(3)).isEqualTo(ChannelUpstream.SUCCESS);
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);

    String requestId = requestId();
    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    List<StreamFrame> frames = StreamClient.frames(sink, requestId);
    assertThat(frames).extracting(StreamFrame::getChannelNumber).containsExactly(1, 2, 3);
    assertThat(frames).allSatisfy(f -> {
      assertThat(f.getStream()).isEqualTo(StreamKind.EXEC);
      assertThat(f.getDirection()).isEqualTo(Direction.TO_CLIENT);
    });
    assertThat(frames).extracting(StreamFrame::getFrameIndex).containsExactly(0L, 1L, 2L);
    assertThat(frames.get(0).getData().getContent()).isEqualTo("A=1\nB=2\n");
    assertThat(frames.get(2).getData().getContent()).isEqualTo(ChannelUpstream.SUCCESS);
    assertThat(frames.get(2).getData().getContentType()).isEqualTo("application/json");
    assertThat(rc.getStatus()).isEqualTo(101);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_CLOSED);
    assertThat(rc.getFramesRecorded()).isEqualTo(3);
    assertThat(rc.getHeaders()).containsEntry("vigil-close-code", "1000")
        .containsEntry("sec-websocket-protocol", "v5.channel.k8s.io");
    assertThat(rc.getBytesToClient()).isEqualTo(9 + 18 + 1 + ChannelUpstream.SUCCESS.length());
    VigilEvent received = sink.events().get(0);
    assertThat(received.getRequest().getKubernetes().getSubresource()).isEqualTo("exec");
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("get");
    assertThat(((RequestReceived) received.getPayload()).getDecision().getEffect()).isEqualTo(Effect.ALLOW);

    assertThat(upstream.upgrades).hasSize(1);
    assertThat(upstream.upgrades.get(0).getAll("Authorization")).containsExactly("Bearer " + GatewayFixture.GATEWAY_TOKEN);
    // the gateway impersonates exactly the caller's mapped identity, never what the caller asked for
    assertThat(upstream.upgrades.get(0).getAll("Impersonate-User")).containsExactly("exec-agent");
    assertThat(upstream.upgrades.get(0).getAll("Impersonate-Group")).containsExactly("agents", "dev");
    assertThat(upstream.upgrades.get(0).getAll("Impersonate-Extra-vigil-session")).containsExactly("exec-agent");
  }

  @Test
  void shouldRefuseAWebSocketUpgradeThatIsNotExecAttachOrPortForward() throws Exception {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
        .setURI("/api/v1/namespaces/payments/configmaps")
        .addHeader("Authorization", "Bearer " + fx.mint("exec-agent"));

    assertThatThrownBy(() -> await(client.connect(o)))
        .hasRootCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> {
          UpgradeRejectedException r = (UpgradeRejectedException) rootCause(e);
          assertThat(r.getStatus()).isEqualTo(400);
          assertThat(r.getBody().toString()).contains("\"kind\":\"Status\"",
              "WebSocket upgrades are relayed only for exec, attach and port-forward");
        });

    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(events.get(0).getSessionKey()).isEqualTo("exec-agent");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(400);
    assertThat(upstream.upgrades).isEmpty();
  }

  @Test
  void shouldRefuseAnInvalidCallerHandshakeBeforeConnectingUpstream() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client(proxy.port())
        .get("/api/v1/namespaces/payments/pods/api-0/exec?command=env&stdout=true")
        .putHeader("Authorization", "Bearer " + fx.mint("exec-agent"))
        .putHeader("Connection", "Upgrade")
        .putHeader("Upgrade", "websocket")
        .putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .putHeader("Sec-WebSocket-Version", "8")
        .putHeader("Sec-WebSocket-Protocol", "v5.channel.k8s.io")
        .send());

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.bodyAsJsonObject().getString("kind")).isEqualTo("Status");
    assertThat(resp.bodyAsJsonObject().getString("message")).contains("Sec-WebSocket-Version must be 13");
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(400);
    assertThat(upstream.upgrades).as("nothing may start upstream").isEmpty();
  }

  @Test
  void shouldAnswer504WhenTheUpstreamNeverCompletesTheHandshake() throws Exception {
    long started = System.nanoTime();
    assertThatThrownBy(() -> await(client.connect(exec("api-0", "hang", "v5.channel.k8s.io"))))
        .hasRootCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootCause(e)).getStatus()).isEqualTo(504));
    // the default handshake timeout is the default upstream connect timeout (10 s)
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));

    List<VigilEvent> events = sink.await(e -> e.getPayload() instanceof UpstreamError, 1, Duration.ofSeconds(5));
    UpstreamError err = (UpstreamError) events.get(0).getPayload();
    assertThat(err.getErrorType()).isEqualTo("TIMEOUT");
    assertThat(upstream.upgrades).hasSize(1);
  }

  @Test
  void shouldAbandonTheUpstreamHandshakeWhenTheCallerLeaves() throws Exception {
    // a raw caller that sends an exec upgrade, then disconnects while the upstream has not answered
    NetClient net = fx.vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    NetSocket socket = await(net.connect(proxy.port(), "127.0.0.1"));
    await(socket.write("GET /api/v1/namespaces/payments/pods/api-0/exec?command=hang&stdout=true HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer " + fx.mint("exec-agent") + "\r\n"
        + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (upstream.upgrades.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(upstream.upgrades).hasSize(1);
    await(socket.close());

    String requestId = requestId();
    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    assertThat(rc.getStatus()).isEqualTo(499);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    await(net.close());
  }

  @Test
  void shouldRelayStdinBothWaysAndRecordItsDirection() throws Exception {
    Session s = connect(exec("api-0", "cat", "v5.channel.k8s.io"));

    await(s.ws.writeBinaryMessage(ChannelUpstream.frame(0, Buffer.buffer("hello\n"))));
    assertThat(s.next(1)).isEqualTo("hello\n");
    await(s.ws.writeBinaryMessage(ChannelUpstream.frame(4, Buffer.buffer("{\"Width\":80,\"Height\":24}"))));
    await(s.ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 255, 0}))); // v5: close stdin
    assertThat(s.next(3)).isEqualTo(ChannelUpstream.SUCCESS);
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);

    String requestId = requestId();
    StreamClient.completed(sink, requestId);
    List<StreamFrame> frames = StreamClient.frames(sink, requestId);
    assertThat(frames).extracting(StreamFrame::getChannelNumber).containsExactly(0, 1, 4, 255, 3);
    assertThat(frames).extracting(StreamFrame::getDirection).containsExactly(Direction.TO_UPSTREAM, Direction.TO_CLIENT,
        Direction.TO_UPSTREAM, Direction.TO_UPSTREAM, Direction.TO_CLIENT);
    assertThat(frames.get(0).getData().getContent()).isEqualTo("hello\n");
    assertThat(frames.get(2).getData().getContent()).contains("\"Width\":80");
    assertThat(frames.get(3).getData().getContent()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {0}));
  }

  @Test
  void shouldAnswerWithTheSubprotocolTheUpstreamChoseAndNeverForwardABearerSubprotocol() throws Exception {
    String bearer = "base64url.bearer.authorization.k8s.io."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(fx.mint("exec-agent").getBytes(StandardCharsets.UTF_8));
    WebSocketConnectOptions o = exec("v4only", "env", "v5.channel.k8s.io", "v4.channel.k8s.io");
    o.getHeaders().remove("Authorization");
    o.addSubProtocol(bearer);

    Session s = connect(o);

    assertThat(s.ws.subProtocol()).isEqualTo("v4.channel.k8s.io");
    assertThat(s.next(1)).isEqualTo("A=1\nB=2\n");
    assertThat(upstream.offeredProtocols(0)).containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io");
    String requestId = requestId();
    assertThat(StreamClient.completed(sink, requestId).getHeaders())
        .containsEntry("sec-websocket-protocol", "v4.channel.k8s.io");
    assertThat(sink.events().toString()).doesNotContain(bearer);
  }

  @Test
  void shouldPropagateTheCallersCloseCode() throws Exception {
    Session s = connect(exec("api-0", "sleep", "v5.channel.k8s.io"));

    await(s.ws.close((short) 4000, "bye"));

    String requestId = requestId();
    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    assertThat(rc.getHeaders()).containsEntry("vigil-close-code", "4000");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (upstream.closeCodesSeen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(upstream.closeCodesSeen).contains((short) 4000);
  }

  @Test
  void shouldRelayAnUpstreamRefusalAsAPlainResponseAndRecordIt() throws Exception {
    assertThatThrownBy(() -> await(client.connect(exec("api-0", "forbidden", "v5.channel.k8s.io"))))
        .hasRootCauseInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> {
          UpgradeRejectedException r = (UpgradeRejectedException) rootCause(e);
          assertThat(r.getStatus()).isEqualTo(403);
          assertThat(r.getBody().toString()).contains("\"reason\":\"Forbidden\"");
        });

    ResponseCompleted rc = StreamClient.completed(sink, requestId());
    assertThat(rc.getStatus()).isEqualTo(403);
    assertThat(rc.getBody().getContent()).contains("exec not allowed");
  }

  @Test
  void shouldRefuseAnUnauthenticatedUpgradeWith401() throws Exception {
    WebSocketConnectOptions o = exec("api-0", "env", "v5.channel.k8s.io");
    o.getHeaders().remove("Authorization");

    assertThatThrownBy(() -> await(client.connect(o))).hasMessageContaining("401");

    assertThat(upstream.upgrades).isEmpty();
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("authentication");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(401);
  }

  @Test
  void shouldRefuseSpdyUpgradesWithAStatusThatTellsHowToUseWebSockets() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client(proxy.port()).post("/api/v1/namespaces/payments/pods/api-0/exec?command=env")
        .putHeader("Authorization", "Bearer " + fx.mint("old-kubectl"))
        .putHeader("Connection", "Upgrade")
        .putHeader("Upgrade", "SPDY/3.1")
        .putHeader("X-Stream-Protocol-Version", "v4.channel.k8s.io")
        .send());

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.bodyAsJsonObject().getString("kind")).isEqualTo("Status");
    assertThat(resp.bodyAsJsonObject().getString("message")).contains("WebSocket only", "KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true",
        "KUBECTL_PORT_FORWARD_WEBSOCKETS=true");
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(5));
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(400);
    assertThat(upstream.upgrades).isEmpty();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}

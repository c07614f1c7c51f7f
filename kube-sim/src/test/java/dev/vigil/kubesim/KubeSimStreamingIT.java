package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.store.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** exec/attach/port-forward at the protocol level (plain HTTP, own WebSocket client, no kubectl). */
class KubeSimStreamingIT {

  private static final String TOKEN = "t0ken";
  private static final String EXEC = "/api/v1/namespaces/default/pods/nginx/exec";
  private static Vertx vertx;
  private static KubeSim sim;
  private static WebClient http;
  private static WebSocketClient wsClient;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    sim = KubeSim.start(vertx, new KubeSimOptions().addToken(TOKEN).setSeedDemo(true)).await();
    http = WebClient.create(vertx);
    wsClient = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    wsClient.close().await();
    http.close();
    sim.close().await();
    vertx.close().await();
  }

  /** An open WebSocket with every binary message queued. */
  record Session(WebSocket ws, BlockingQueue<Buffer> messages, CompletableFuture<Short> closed) {
    Buffer next() throws InterruptedException {
      Buffer b = messages.poll(10, TimeUnit.SECONDS);
      assertThat(b).as("a message within 10 s").isNotNull();
      return b;
    }

    /** Messages until the server closes, concatenated per channel ("1:..." for stdout). */
    List<String> untilClosed() throws Exception {
      closed.get(10, TimeUnit.SECONDS);
      List<String> out = new ArrayList<>();
      for (Buffer b; (b = messages.poll()) != null; ) {
        out.add((b.getByte(0) & 0xff) + ":" + b.getString(1, b.length(), "UTF-8"));
      }
      return out;
    }

    void send(int channel, String data) {
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) channel).appendBytes(bytes)).await();
    }
  }

  private static Session open(String uri, String... protocols) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(sim.port()).setURI(uri)
        .addHeader("Authorization", "Bearer " + TOKEN).setSubProtocols(List.of(protocols));
    BlockingQueue<Buffer> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket ws = wsClient.connect(o).map(w -> { // handlers before the first message can arrive
      w.binaryMessageHandler(messages::add);
      w.closeHandler(v -> closed.complete(w.closeStatusCode()));
      return w;
    }).await();
    return new Session(ws, messages, closed);
  }

  private static JsonNode json(HttpResponse<Buffer> r) throws Exception {
    return Json.MAPPER.readTree(r.bodyAsString());
  }

  @Test
  void shouldRefuseASpdyUpgradeWithA400Status() throws Exception {
    HttpResponse<Buffer> r = http.request(HttpMethod.POST, sim.port(), "127.0.0.1", EXEC + "?command=ls&stdout=true")
        .putHeader("Authorization", "Bearer " + TOKEN).putHeader("Connection", "Upgrade")
        .putHeader("Upgrade", "SPDY/3.1").putHeader("X-Stream-Protocol-Version", "v4.channel.k8s.io").send().await();
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(json(r).path("kind").asText()).isEqualTo("Status");
    assertThat(json(r).path("message").asText()).contains("WebSocket only", "SPDY upgrades are refused");
    HttpResponse<Buffer> pf = http.request(HttpMethod.POST, sim.port(), "127.0.0.1",
        "/api/v1/namespaces/default/pods/nginx/portforward").putHeader("Authorization", "Bearer " + TOKEN)
        .putHeader("Connection", "Upgrade").putHeader("Upgrade", "SPDY/3.1").send().await();
    assertThat(pf.statusCode()).isEqualTo(400);
    assertThat(json(pf).path("message").asText()).contains("port-forward over WebSocket only",
        "KUBECTL_PORT_FORWARD_WEBSOCKETS");
  }

  @Test
  void shouldValidateBeforeUpgrading() throws Exception {
    HttpResponse<Buffer> plain = http.get(sim.port(), "127.0.0.1", EXEC + "?command=ls&stdout=true")
        .putHeader("Authorization", "Bearer " + TOKEN).send().await();
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(json(plain).path("message").asText()).isEqualTo("Upgrade request required");
    assertThat(rejection(EXEC + "?stdout=true", "v5.channel.k8s.io")).isEqualTo(400);
    assertThat(rejection(EXEC + "?command=ls", "v5.channel.k8s.io")).isEqualTo(400);
    assertThat(rejection(EXEC + "?command=ls&stdout=true&container=nope", "v5.channel.k8s.io")).isEqualTo(400);
    assertThat(rejection(EXEC + "?command=ls&stdout=true", "v1.channel.k8s.io")).isEqualTo(400);
    assertThat(rejection("/api/v1/namespaces/default/pods/missing/exec?command=ls&stdout=true", "v5.channel.k8s.io"))
        .isEqualTo(404);
    sim.store().apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: pending, namespace: default}
        spec: {containers: [{name: c, image: busybox}]}
        """);
    sim.store().modify(sim.store().registry().require("pods"), "default", "pending", false, p -> {
      Json.obj(p, "status").put("phase", "Pending");
      return p;
    });
    assertThat(rejection("/api/v1/namespaces/default/pods/pending/exec?command=ls&stdout=true", "v5.channel.k8s.io"))
        .isEqualTo(400);
  }

  private static int rejection(String uri, String protocol) {
    try {
      open(uri, protocol).ws().close();
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
  }

  @Test
  void shouldPreferV5AndSpeakTheV4ChannelProtocolToo() throws Exception {
    Session v5 = open(EXEC + "?command=sh&command=-c&command=echo+out%3B+nosuch&stdout=true&stderr=true",
        "v4.channel.k8s.io", "v5.channel.k8s.io");
    assertThat(v5.ws().subProtocol()).isEqualTo("v5.channel.k8s.io");
    assertThat(v5.untilClosed()).containsExactly("1:out\n", "2:sh: nosuch: not found\n",
        "3:{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: error "
            + "executing command [sh, -c, echo out; nosuch], exit code 127\",\"reason\":\"NonZeroExitCode\","
            + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"127\"}]}}");
    assertThat(v5.closed().get()).isEqualTo((short) 1000);
    Session v4 = open(EXEC + "?command=hostname&stdout=true", "v4.channel.k8s.io");
    assertThat(v4.ws().subProtocol()).isEqualTo("v4.channel.k8s.io");
    assertThat(v4.untilClosed()).containsExactly("1:nginx\n", "3:{\"metadata\":{},\"status\":\"Success\"}");
  }

  @Test
  void shouldCloseStdinOnTheV5CloseSignalAndAcceptResizes() throws Exception {
    Session s = open(EXEC + "?command=cat&stdin=true&stdout=true&stderr=true", "v5.channel.k8s.io");
    s.send(4, "{\"Width\":80,\"Height\":24}");
    s.send(0, "abc\n");
    assertThat(s.next().getString(1, 5)).isEqualTo("abc\n");
    s.ws().writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 255, 0})).await();
    assertThat(s.untilClosed()).containsExactly("3:{\"metadata\":{},\"status\":\"Success\"}");
  }

  @Test
  void shouldMergeStderrAndUseCrLfWithATty() throws Exception {
    Session s = open(EXEC + "?command=sh&command=-c&command=echo+a%3B+nosuch&stdout=true&tty=true", "v5.channel.k8s.io");
    assertThat(s.untilClosed()).startsWith("1:a\r\n", "1:sh: nosuch: not found\r\n");
  }

  @Test
  void shouldAttachAndEchoStdinLines() throws Exception {
    Session s = open("/api/v1/namespaces/default/pods/nginx/attach?stdin=true&stdout=true&container=nginx",
        "v5.channel.k8s.io");
    assertThat(s.next().toString()).contains("attached to the pretend main process of default/nginx");
    s.send(0, "hello\n");
    String echoed = null;
    while (echoed == null) {
      Buffer b = s.next();
      if (b.toString().contains("received")) {
        echoed = b.getString(1, b.length());
      }
    }
    assertThat(echoed).isEqualTo("nginx received: hello\n");
    s.ws().close().await();
  }

  @Test
  void shouldForwardAPortOverThePlainChannelProtocol() throws Exception {
    Session s = open("/api/v1/namespaces/default/pods/nginx/portforward?ports=80,81", "v4.channel.k8s.io");
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Buffer b = s.next();
      first.add((b.getByte(0) & 0xff) + ":" + (b.length() == 3 ? (b.getByte(1) & 0xff) + (b.getByte(2) & 0xff) * 256
          : b.getString(1, b.length())));
    }
    assertThat(first).startsWith("0:80", "1:80", "2:81", "3:81");
    assertThat(first.get(4)).startsWith("3:error forwarding port 81").contains("connection refused");
    s.send(0, "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
    List<String> rest = s.untilClosed();
    assertThat(rest).hasSize(1);
    assertThat(rest.get(0)).startsWith("0:HTTP/1.1 200 OK").contains("hello from nginx", "GET /x HTTP/1.1");
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

/**
 * A small upstream for gateway tests speaking the Kubernetes channel protocol over WebSocket (first byte = channel:
 * 0 stdin, 1 stdout, 2 stderr, 3 error/Status, 4 resize; v5: 255 = close a stream), plus plain HTTP streams that
 * break mid-way. Behaviour by the {@code command} query parameter: {@code env} prints and exits, {@code cat} echoes
 * stdin until stdin is closed (v5) and exits, {@code sleep} waits for the caller to close, {@code forbidden} refuses
 * the upgrade with a 403 Status, {@code hang} never answers the upgrade. Paths containing {@code v4only} support only {@code v4.channel.k8s.io}.
 */
final class ChannelUpstream {

  static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  final HttpServer server;
  private final io.vertx.core.Vertx vertx;
  final List<MultiMap> upgrades = new CopyOnWriteArrayList<>();
  final List<Short> closeCodesSeen = new CopyOnWriteArrayList<>();
  final List<Buffer> received = new CopyOnWriteArrayList<>();

  ChannelUpstream(GatewayFixture fx) throws Exception {
    this.vertx = fx.vertx;
    this.server = await(fx.vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setWebSocketSubProtocols(List.of("*"))
            .setKeyCertOptions(fx.pki.issueServer("upstream", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .requestHandler(this::handle)
        .listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (!req.canUpgradeToWebSocket()) {
      brokenStream(req);
      return;
    }
    upgrades.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    String command = req.getParam("command", "");
    if ("hang".equals(command)) {
      return; // neither accepts nor refuses: the gateway's handshake timeout must end the call
    }
    if ("forbidden".equals(command)) {
      req.response().setStatusCode(403).putHeader("Content-Type", "application/json")
          .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
              + "\"message\":\"pods \\\"api-0\\\" is forbidden: exec not allowed\"}");
      return;
    }
    List<String> supported = req.path().contains("v4only") ? List.of("v4.channel.k8s.io")
        : List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    String chosen = null;
    for (String offered : req.headers().getAll("Sec-WebSocket-Protocol")) {
      for (String p : offered.split(",")) {
        if (chosen == null && supported.contains(p.strip())) {
          chosen = p.strip();
        }
      }
    }
    req.headers().remove("Sec-WebSocket-Protocol");
    if (chosen == null) {
      req.response().setStatusCode(400).end("no supported subprotocol");
      return;
    }
    req.headers().set("Sec-WebSocket-Protocol", chosen);
    req.toWebSocket().onSuccess(ws -> run(ws, command));
  }

  private void run(ServerWebSocket ws, String command) {
    ws.closeHandler(v -> closeCodesSeen.add(ws.closeStatusCode()));
    ws.binaryMessageHandler(msg -> {
      received.add(msg);
      int channel = msg.getByte(0) & 0xFF;
      if ("cat".equals(command) && channel == 0) {
        ws.writeBinaryMessage(frame(1, msg.getBuffer(1, msg.length())));
      } else if ("cat".equals(command) && channel == 255) {
        exit(ws);
      }
    });
    if ("env".equals(command)) {
      ws.writeBinaryMessage(frame(1, Buffer.buffer("A=1\nB=2\n")));
      ws.writeBinaryMessage(frame(2, Buffer.buffer("warning: pretend\n")));
      exit(ws);
    }
  }

  private static void exit(ServerWebSocket ws) {
    ws.writeBinaryMessage(frame(3, Buffer.buffer(SUCCESS)));
    ws.close((short) 1000, "done");
  }

  static Buffer frame(int channel, Buffer data) {
    return Buffer.buffer().appendByte((byte) channel).appendBuffer(data);
  }

  /** A watch or followed log that sends one event, then loses its connection. */
  private void brokenStream(HttpServerRequest req) {
    req.response().setChunked(true).putHeader("Content-Type", req.path().endsWith("/log") ? "text/plain" : "application/json");
    if (req.path().endsWith("/log")) {
      req.response().write("a log line\n");
    } else {
      req.response().write("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}}\n");
    }
    req.response().write("{\"type\":\"MODIF");
    vertx.setTimer(300, id -> req.connection().close());
  }

  List<String> offeredProtocols(int i) {
    List<String> out = new ArrayList<>();
    for (String v : upgrades.get(i).getAll("Sec-WebSocket-Protocol")) {
      for (String p : v.split(",")) {
        out.add(p.strip());
      }
    }
    return out;
  }

  void close() throws Exception {
    await(server.close());
  }
}

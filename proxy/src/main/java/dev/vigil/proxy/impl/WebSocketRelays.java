package dev.vigil.proxy.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.vigil.schema.StreamKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Opens {@link WebSocketRelay}s: holds the one WebSocket client towards the upstream, connects with the caller's
 * subprotocols and the prepared upstream headers, and relays an upstream's refusal of the upgrade (e.g. a 403 Status)
 * to the caller as a plain HTTP response, recorded as such. Opening the upstream side (waiting for a slot in the
 * client's pool, connecting, the handshake) is bounded by the handshake timeout (the upstream connect timeout): past it
 * the caller gets a 504 Status and an UpstreamError TIMEOUT. A caller that goes away meanwhile abandons the attempt:
 * an upstream WebSocket that opens later is closed at once (1001), without relaying anything. Under
 * {@code maskResponse}, exec and attach output is masked for the caller; port-forward never is (an arbitrary binary
 * protocol the gateway cannot mask without breaking it).
 */
final class WebSocketRelays {

  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "content-length",
      "transfer-encoding", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
      "sec-websocket-protocol", "origin");

  private final WebSocketClient client;
  private final UpstreamTarget target;
  private final CallRecorder recorder;
  private final GatewayLimits limits;
  private final long handshakeTimeoutMillis;
  private final ResponseMasking masking;

  WebSocketRelays(WebSocketClient client, UpstreamTarget target, CallRecorder recorder, GatewayLimits limits,
      Duration handshakeTimeout, ResponseMasking masking) {
    this.masking = masking;
    this.client = client;
    this.target = target;
    this.recorder = recorder;
    this.limits = limits;
    this.handshakeTimeoutMillis = Math.max(1, handshakeTimeout.toMillis());
  }

  /** The caller went away while the upstream WebSocket was being opened. */
  static final class CallerGoneException extends Exception {
    private static final long serialVersionUID = 1L;

    CallerGoneException() {
      super("the caller went away while the upstream WebSocket was being opened", null, false, false);
    }
  }

  /**
   * Connects upstream and, once it answered, either relays its refusal or accepts the caller's upgrade and starts
   * relaying; fails when the upstream could not be reached or did not complete the handshake in time (the caller then
   * gets a 502/504 Status), or with {@link CallerGoneException} when the caller left first.
   */
  Future<Void> start(Exchange ex, String uri, MultiMap upstreamHeaders) {
    WebSocketConnectOptions o = new WebSocketConnectOptions()
        .setHost(target.host()).setPort(target.port()).setSsl(target.ssl())
        .setTimeout(handshakeTimeoutMillis) // Vert.x closes the connection when the handshake takes longer
        .setURI(uri).setAllowOriginHeader(false).setSubProtocols(subprotocols(upstreamHeaders));
    for (Map.Entry<String, String> h : upstreamHeaders) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        o.addHeader(h.getKey(), h.getValue());
      }
    }
    Promise<Void> started = Promise.promise();
    Context context = Vertx.currentContext();
    StreamKind kind = kind(ex);
    boolean mask = ex.maskResponse && masking != null && (kind == StreamKind.EXEC || kind == StreamKind.ATTACH);
    WebSocketRelay relay = new WebSocketRelay(ex, recorder, limits, mask ? masking : null, context.owner());
    ClientWebSocket up = client.webSocket();
    relay.bindUpstream(up); // handlers before connecting: the upstream may speak (and close) at once
    // The whole attempt (pool wait included: Vert.x arms no timer for it) is bounded here; a later outcome is dropped.
    long timer = context.owner().setTimer(handshakeTimeoutMillis, id -> started.tryFail(
        new TimeoutException("the upstream WebSocket handshake did not complete within " + handshakeTimeoutMillis + " ms")));
    ex.request.response().closeHandler(v -> {
      ex.clientClosed = true;
      started.tryFail(new CallerGoneException());
    });
    up.connect(o).onComplete(ar -> {
      context.owner().cancelTimer(timer);
      if (started.future().isComplete()) { // abandoned: timed out or the caller left
        if (ar.succeeded()) {
          up.close((short) 1001, "caller went away");
        }
        return;
      }
      if (ar.succeeded()) {
        relay.accept();
        started.complete();
      } else if (ar.cause() instanceof UpgradeRejectedException rejected) {
        relayRefusal(ex, rejected);
        started.complete();
      } else {
        started.fail(ar.cause());
      }
    });
    return started.future();
  }

  /** What a relayed WebSocket carries, by the request's verb and subresource. */
  static StreamKind kind(Exchange ex) {
    var info = ex.parsed.info();
    if ("watch".equals(info.getVerb())) {
      return StreamKind.WATCH;
    }
    String sub = info.getSubresource() == null ? "" : info.getSubresource();
    switch (sub) {
      case "exec": return StreamKind.EXEC;
      case "attach": return StreamKind.ATTACH;
      case "portforward": return StreamKind.PORT_FORWARD;
      default: return StreamKind.OTHER;
    }
  }

  /** The subprotocols offered, in order, from the (already sanitised) upstream headers. */
  static List<String> subprotocols(MultiMap headers) {
    List<String> out = new ArrayList<>();
    for (String value : headers.getAll(WebSocketBearer.PROTOCOL_HEADER)) {
      for (String p : value.split(",")) {
        String s = p.strip();
        if (!s.isEmpty() && !s.toLowerCase(Locale.ROOT).startsWith(WebSocketBearer.PREFIX)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private void relayRefusal(Exchange ex, UpgradeRejectedException rejected) {
    var response = ex.request.response().setStatusCode(rejected.getStatus());
    MultiMap headers = rejected.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : rejected.getHeaders();
    for (Map.Entry<String, String> h : headers) {
      String n = h.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(n) && !n.equals("keep-alive") && !n.startsWith("sec-websocket-")) {
        response.headers().add(h.getKey(), h.getValue());
      }
    }
    Buffer body = rejected.getBody() == null ? Buffer.buffer() : rejected.getBody();
    BodyCapture capture = new BodyCapture(limits.recordMaxBodyBytes(), headers.get(HttpHeaders.CONTENT_TYPE));
    capture.append(body);
    ex.request.resume();
    response.end(body).onComplete(ar -> recorder.completed(ex, rejected.getStatus(),
        HeaderPolicy.forRecording(headers), capture.toBody(), response.bytesWritten()));
  }
}

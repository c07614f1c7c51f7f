package dev.vigil.proxy.impl;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Opens {@link WebSocketRelay}s: holds the one WebSocket client towards the upstream, connects with the caller's
 * subprotocols and the prepared upstream headers, and relays an upstream's refusal of the upgrade (e.g. a 403 Status)
 * to the caller as a plain HTTP response, recorded as such.
 */
final class WebSocketRelays {

  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "content-length",
      "transfer-encoding", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
      "sec-websocket-protocol", "origin");

  private final WebSocketClient client;
  private final UpstreamTarget target;
  private final CallRecorder recorder;
  private final GatewayLimits limits;

  WebSocketRelays(WebSocketClient client, UpstreamTarget target, CallRecorder recorder, GatewayLimits limits) {
    this.client = client;
    this.target = target;
    this.recorder = recorder;
    this.limits = limits;
  }

  /**
   * Connects upstream and, once it answered, either relays its refusal or accepts the caller's upgrade and starts
   * relaying; fails only when the upstream could not be reached (the caller then gets a 502/504 Status).
   */
  Future<Void> start(Exchange ex, String uri, MultiMap upstreamHeaders) {
    WebSocketConnectOptions o = new WebSocketConnectOptions()
        .setHost(target.host()).setPort(target.port()).setSsl(target.ssl())
        .setURI(uri).setAllowOriginHeader(false).setSubProtocols(WebSocketRelay.subprotocols(upstreamHeaders));
    for (Map.Entry<String, String> h : upstreamHeaders) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        o.addHeader(h.getKey(), h.getValue());
      }
    }
    Promise<Void> started = Promise.promise();
    WebSocketRelay relay = new WebSocketRelay(ex, recorder, limits);
    ClientWebSocket up = client.webSocket();
    relay.bindUpstream(up); // handlers before connecting: the upstream may speak (and close) at once
    up.connect(o).onComplete(ar -> {
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

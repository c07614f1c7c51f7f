package dev.vigil.proxy.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Answers the gateway gives itself (401, 400, 413, 502, 504): a Kubernetes Status body, nothing forwarded. The
 * caller's unread request body is drained. WebSocket upgrade requests are answered directly, since the proxy's
 * WebSocket path only knows how to relay an upstream response.
 */
final class ShortCircuits {

  /** Builds the response for {@code status}, releasing the caller's request; remembers it on the exchange. */
  ProxyResponse respond(ProxyContext ctx, Exchange ex, StatusErrors.StatusError status) {
    ex.shortCircuit = status;
    ProxyRequest request = ctx.request();
    if (request.getBody() != null) {
      request.release(); // drains what the caller still sends (release() would fail on a null body)
    }
    return request.response()
        .setStatusCode(status.code())
        .setBody(Body.body(status.toBuffer(), MediaType.APPLICATION_JSON));
  }

  /** Writes the short-circuit answer straight to the caller (WebSocket upgrade requests). */
  Future<Void> writeDirect(Exchange ex) {
    HttpServerResponse response = ex.request.response();
    Buffer body = ex.shortCircuit.toBuffer();
    return response.setStatusCode(ex.shortCircuit.code())
        .putHeader(HttpHeaders.CONTENT_TYPE, StatusErrors.CONTENT_TYPE)
        .end(body);
  }
}

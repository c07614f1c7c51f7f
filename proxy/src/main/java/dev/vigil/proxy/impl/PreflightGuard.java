package dev.vigil.proxy.impl;

import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Checks made before a request is handed to vertx-http-proxy, which would otherwise answer some requests itself
 * with a bare status, unrecorded, or mishandle them:
 * <ul>
 *   <li>HTTP/1.0 → 505 Status: the proxy buffers a response of unknown length without bound for such callers;</li>
 *   <li>a {@code Transfer-Encoding} other than a single {@code chunked} (e.g. {@code gzip, chunked}) → 501 Status, as
 *       kube-apiserver (Go) answers, and the connection is closed; {@code Chunked} in another letter case is accepted
 *       like Go does, and normalised.</li>
 * </ul>
 * A refused request is recorded like any other: RequestReceived (DENY, ruleId {@code protocol}, attributed to the
 * caller when its credentials are valid) and ResponseCompleted.
 */
final class PreflightGuard {

  private final GatewayInterceptor gateway;
  private final CallRecorder recorder;

  PreflightGuard(GatewayInterceptor gateway, CallRecorder recorder) {
    this.gateway = gateway;
    this.recorder = recorder;
  }

  /** True when {@code req} may go to the proxy; otherwise it is being answered and recorded here. */
  boolean admit(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_1_0) {
      refuse(req, new StatusErrors.StatusError(505, "HTTPVersionNotSupported",
          "the Vigil gateway speaks HTTP/1.1 and HTTP/2 only"), "HTTP/1.0 refused");
      return false;
    }
    List<String> te = req.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    if (te.isEmpty()) {
      return true;
    }
    if (te.size() == 1 && te.get(0).strip().equalsIgnoreCase("chunked")) {
      if (!te.get(0).equals("chunked")) {
        req.headers().set(HttpHeaders.TRANSFER_ENCODING, "chunked");
      }
      return true;
    }
    refuse(req, new StatusErrors.StatusError(501, "NotImplemented",
        "unsupported Transfer-Encoding: only chunked is supported"), "unsupported Transfer-Encoding");
    return false;
  }

  private void refuse(HttpServerRequest req, StatusErrors.StatusError status, String reason) {
    Exchange ex = gateway.begin(req);
    ex.closeConnection = true;
    gateway.identify(ex).onComplete(ar -> {
      if (ar.succeeded()) {
        ex.caller = ar.result();
        try {
          ex.sessionKey = SessionKeys.resolve(req.getHeader(SessionKeys.HEADER), ex.caller);
        } catch (InvalidRequestException e) {
          ex.sessionKey = SessionKeys.owner(ex.caller.username());
        }
      }
      recorder.received(ex, HeaderPolicy.forRecording(req.headers()), null, EventFactory.deny("protocol", reason));
      ex.shortCircuit = status;
      Buffer body = status.toBuffer();
      BodyCapture capture = new BodyCapture(body.length(), StatusErrors.CONTENT_TYPE);
      capture.append(body);
      HttpServerResponse response = req.response();
      response.setStatusCode(status.code())
          .putHeader(HttpHeaders.CONTENT_TYPE, StatusErrors.CONTENT_TYPE)
          .putHeader(HttpHeaders.CONNECTION, "close")
          .end(body)
          .onComplete(done -> {
            recorder.completed(ex, status.code(), Map.of("content-type", StatusErrors.CONTENT_TYPE), capture.toBody(),
                response.bytesWritten());
            ResponseRecorder.closeIfAsked(ex);
          });
    });
  }
}

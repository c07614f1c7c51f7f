package dev.vigil.proxy.impl;

import java.util.List;
import java.util.Map;

import dev.vigil.schema.ResponseOutcome;
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
 *   <li>more than one {@code Host} header → 400 Status (RFC 9112 3.2);</li>
 *   <li>a {@code Transfer-Encoding} together with a {@code Content-Length} → 400 Status (with {@code chunked} the
 *       {@link StrictRequestDecoder} already refused it: Netty would have dropped the Content-Length);</li>
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
    if (req.headers().getAll(HttpHeaders.HOST).size() > 1) {
      refuse(req, StatusErrors.badRequest("more than one Host header"), "duplicate Host header");
      return false;
    }
    List<String> te = req.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    if (!te.isEmpty() && req.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      refuse(req, RequestHeadException.chunkedWithContentLength().status(), "Transfer-Encoding with Content-Length");
      return false;
    }
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
      answer(recorder, ex, status);
    });
  }

  /**
   * Answers a refused call with {@code status} as a Kubernetes Status, closing the connection after it, and records its
   * ResponseCompleted once written (its RequestReceived was recorded by the caller).
   */
  static void answer(CallRecorder recorder, Exchange ex, StatusErrors.StatusError status) {
    ex.closeConnection = true;
    ex.shortCircuit = status;
    if (ex.request.version() != HttpVersion.HTTP_2) {
      ClosingConnections.mark(ex.request.connection());
    }
    Buffer body = status.toBuffer();
    BodyCapture capture = new BodyCapture(body.length(), StatusErrors.CONTENT_TYPE);
    capture.append(body);
    HttpServerResponse response = ex.request.response();
    response.setStatusCode(status.code())
        .putHeader(HttpHeaders.CONTENT_TYPE, StatusErrors.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body)
        .onComplete(done -> {
          recorder.completed(ex, status.code(), Map.of("content-type", StatusErrors.CONTENT_TYPE), capture.toBody(),
              response.bytesWritten(), done.succeeded() ? ResponseOutcome.COMPLETED : ResponseOutcome.CLIENT_DISCONNECTED);
          ResponseRecorder.closeIfAsked(ex);
        });
  }
}

package dev.vigil.proxy.llm;

import java.util.Map;

import dev.vigil.schema.Effect;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The answers the gateway gives itself on the LLM channel, in the provider's error format (so the caller's SDK shows
 * them like the provider's own), with their recording: a refusal before forwarding records a RequestReceived DENY
 * naming the check, then the ResponseCompleted of the answer; an unreachable provider records an UpstreamError.
 */
final class LlmAnswer {

  private final HttpServerRequest req;
  private final LlmCall call;
  private final LlmProvider format;
  private final int cap;
  private boolean closeConnection;

  LlmAnswer(HttpServerRequest req, LlmCall call, LlmProvider format, int cap) {
    this.req = req;
    this.call = call;
    this.format = format;
    this.cap = cap;
  }

  static PolicyDecision deny(String ruleId, String reason) {
    return PolicyDecision.newBuilder().setEffect(Effect.DENY).setRuleId(ruleId).setReason(reason).setStrict(false)
        .build();
  }

  String requestId() {
    return call.requestId();
  }

  /** Close the caller's connection after the answer (its request body was not read to the end). */
  LlmAnswer closing() {
    closeConnection = true;
    return this;
  }

  /** The request body was read to its end: the connection can carry the next request. */
  void keepConnection() {
    closeConnection = false;
  }

  /** A failure of the gateway itself: recorded (DENY internal-error if nothing was yet), 500 if nothing was sent. */
  void internalError(Throwable err) {
    if (!call.requestRecorded()) {
      call.received(req.headers(), null, cap, deny("internal-error", "gateway error: " + err.getClass().getSimpleName()));
    }
    HttpServerResponse out = req.response();
    if (out.headWritten() || out.ended() || out.closed()) {
      call.completed(out.getStatusCode(), out.headers(), Map.of(), null, cap, out.bytesWritten(),
          ResponseOutcome.CLIENT_DISCONNECTED);
      if (!out.closed()) {
        out.reset();
      }
      return;
    }
    closeConnection = closeConnection || !req.isEnded();
    error(500, "the Vigil gateway failed to handle the request (request id " + call.requestId() + ")", Map.of());
  }

  /** Refused before forwarding: RequestReceived DENY ({@code ruleId}, {@code reason}), then the error answer. */
  void refuse(int status, String message, String ruleId, String reason, dev.vigil.schema.Body requestBody) {
    refuse(status, message, deny(ruleId, reason), requestBody, Map.of());
  }

  void refuse(int status, String message, PolicyDecision decision, dev.vigil.schema.Body requestBody,
      Map<String, String> headers) {
    call.received(req.headers(), requestBody, cap, decision);
    error(status, message, headers);
  }

  /** After the RequestReceived: the error answer and its ResponseCompleted. */
  void error(int status, String message, Map<String, String> headers) {
    Buffer body = format.error(status, message);
    write(status, body, headers).onComplete(ar -> {
      HttpServerResponse out = req.response();
      call.completed(status, out.headers(), Map.of(), LlmBodies.of(LlmBodies.JSON, body, body.length(), false), cap,
          out.bytesWritten(), ar.succeeded() ? ResponseOutcome.COMPLETED : ResponseOutcome.CLIENT_DISCONNECTED);
      closeIfAsked();
    });
  }

  /** The provider could not be reached or did not answer in time: 502/504 and an UpstreamError. */
  void upstreamFailed(LlmGateway.UpstreamFailure failure, String provider, String hostPort) {
    call.upstreamError(failure, failure.status());
    String message = "the " + provider + " API " + hostPort + " is unavailable through the Vigil gateway: "
        + failure.what();
    write(failure.status(), format.error(failure.status(), message), Map.of()).onComplete(ar -> closeIfAsked());
  }

  private Future<Void> write(int status, Buffer body, Map<String, String> headers) {
    HttpServerResponse out = req.response();
    if (out.headWritten() || out.ended() || out.closed()) {
      return Future.failedFuture(new IllegalStateException("the caller's response was already started or closed"));
    }
    out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, LlmBodies.JSON);
    headers.forEach(out::putHeader);
    if (closeConnection && req.version() != HttpVersion.HTTP_2) {
      out.putHeader(HttpHeaders.CONNECTION, "close");
    }
    return out.end(body);
  }

  private void closeIfAsked() {
    if (!closeConnection) {
      return;
    }
    if (req.version() == HttpVersion.HTTP_2) {
      req.response().reset(0x8); // CANCEL: stop sending the body
    } else {
      req.connection().close();
    }
  }
}

package dev.vigil.query.impl;

import java.util.UUID;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP decoder already refused (a request line over 4096 bytes — e.g. an oversized query string —,
 * headers over 8 KiB, a malformed request): answered in the API's one error shape instead of Vert.x's bare status, with
 * the security headers, and put on the audit trail like every other refusal. The server closes the connection after.
 */
final class InvalidRequests {

  private InvalidRequests() {}

  static void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    ApiException e;
    if (cause instanceof TooLongHttpLineException) {
      e = new ApiException(414, "uri_too_long", "The request line is longer than the server accepts (4096 bytes)");
    } else if (cause instanceof TooLongHttpHeaderException) {
      e = new ApiException(431, "headers_too_large", "The request headers are larger than the server accepts (8 KiB)");
    } else {
      e = ApiException.badRequest("Malformed HTTP request");
    }
    String id = UUID.randomUUID().toString();
    Audit.invalid(request, id, e);
    Requests.putSecurityHeaders(request.response());
    request.response()
        .setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-Id", id)
        .putHeader("Connection", "close")
        .end(Errors.htmlSafe(new JsonObject().put("error", new JsonObject().put("code", e.code())
            .put("message", e.getMessage()).put("requestId", id)).encode()));
  }
}

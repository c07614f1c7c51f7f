package dev.vigil.query.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one error shape, {@code {"error":{"code","message","requestId"}}}, for every failure and unknown route. */
final class Errors {

  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static void install(Router router) {
    router.route().failureHandler(Errors::failure);
    router.errorHandler(404, ctx -> send(ctx, ApiException.notFound("No such resource: " + ctx.request().path())));
    router.errorHandler(405, ctx -> send(ctx,
        new ApiException(405, "method_not_allowed", "Method " + ctx.request().method() + " not allowed here")));
    router.errorHandler(500, ctx -> send(ctx, ApiException.internal("Internal error")));
  }

  static void failure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ApiException api) {
      send(ctx, api);
    } else if (f == null) {
      int status = ctx.statusCode();
      send(ctx, switch (status) {
        case 400 -> ApiException.badRequest("Bad request");
        case 401 -> ApiException.unauthorized("Unauthorized");
        case 403 -> ApiException.forbidden("Forbidden");
        case 404 -> ApiException.notFound("No such resource: " + ctx.request().path());
        case 405 -> new ApiException(405, "method_not_allowed", "Method not allowed");
        default -> ApiException.internal("Internal error");
      });
    } else if (f instanceof HttpException http && http.getStatusCode() == 400) {
      // Vert.x could not decode the request (a malformed %-escape in the query string or a path parameter)
      send(ctx, ApiException.badRequest("Malformed request: the path or query string is not valid percent-encoding"));
    } else {
      LOG.error("Request {} {} failed (requestId={})", ctx.request().method(), ctx.request().path(),
          Requests.requestId(ctx), f);
      send(ctx, ApiException.internal("Internal error"));
    }
  }

  static void send(RoutingContext ctx, ApiException e) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      // a streamed answer (export, tail) failed half-way: cut the connection so the client sees it incomplete
      LOG.warn("Streamed answer to {} (requestId={}) failed after the headers were sent: {}", ctx.request().path(),
          Requests.requestId(ctx), e.getMessage());
      ctx.response().reset();
      return;
    }
    if (ctx.normalizedPath().startsWith("/api/")) {
      Audit.refused(ctx, e); // every refusal of the API is on the audit trail, whatever its status
    }
    String id = Requests.requestId(ctx);
    ctx.response()
        .setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-Id", id);
    if (e.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().end(htmlSafe(new JsonObject()
        .put("error", new JsonObject().put("code", e.code()).put("message", e.getMessage()).put("requestId", id))
        .encode()));
  }

  /**
   * JSON whose {@code <}, {@code >} and {@code &} are written as JSON unicode escapes (the same JSON value): an error
   * message quoting a bad parameter never carries markup, even to a client that ignored the content type.
   */
  static String htmlSafe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}

package dev.vigil.query.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

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
      if (api.status() == 401 || api.status() == 403) {
        Audit.refused(ctx, null, api.status(), api.getMessage());
      }
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
    String id = Requests.requestId(ctx);
    ctx.response()
        .setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-Id", id);
    if (e.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().end(new JsonObject()
        .put("error", new JsonObject().put("code", e.code()).put("message", e.getMessage()).put("requestId", id))
        .encode());
  }
}

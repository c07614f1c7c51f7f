package dev.vigil.query.impl;

import java.util.concurrent.TimeUnit;

import dev.vigil.ops.VigilMetrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code vigil_query_requests_seconds{endpoint,method,status}}: every answered request, by the route that answered it
 * (its declared path, e.g. {@code /api/v1/sessions/:sessionId}, never the concrete path, so the tag stays bounded;
 * {@code other} when no route matched, e.g. a 404).
 */
final class QueryMetrics {

  static final String REQUESTS = "vigil.query.requests";

  private static final String ENDPOINT = "vigil.endpoint";

  private QueryMetrics() {}

  /** A handler naming the endpoint of the requests its route matches (paths with parameters have no route name). */
  static Handler<RoutingContext> endpoint(String declaredPath) {
    return ctx -> {
      ctx.put(ENDPOINT, declaredPath);
      ctx.next();
    };
  }

  /** The declared path of the route that took the request ({@code /api/v1/sessions/{sessionId}}), or null. */
  static String declaredEndpoint(RoutingContext ctx) {
    String declared = ctx.get(ENDPOINT);
    return declared == null ? null : declared.replaceAll(":([A-Za-z]+)", "{$1}");
  }

  static void time(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(ar -> {
      String endpoint = ctx.get(ENDPOINT);
      if (endpoint == null) {
        Route route = ctx.currentRoute();
        endpoint = route == null || route.getName() == null || ctx.failed() ? "other" : route.getName();
      }
      Timer.builder(REQUESTS)
          .tag("endpoint", endpoint)
          .tag("method", ctx.request().method().name())
          .tag("status", Integer.toString(ctx.response().getStatusCode()))
          .description("Query API requests, by route")
          .register(VigilMetrics.registry())
          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    });
    ctx.next();
  }
}

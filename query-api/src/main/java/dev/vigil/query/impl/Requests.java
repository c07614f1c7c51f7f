package dev.vigil.query.impl;

import dev.vigil.ops.RequestIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Per-request state kept in the routing context: the request id and the caller's access. */
final class Requests {

  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final String REQUEST_ID = "vigil.requestId";
  private static final String ACCESS = "vigil.access";
  /** For API answers: nothing may run, load or frame them even if opened as a page. */
  static final String API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

  private Requests() {}

  /** First handler: reuses a safe client {@code X-Request-Id}, else a UUID, and echoes it. */
  static void assignRequestId(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id = given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("X-Request-Id", id);
    RequestIds.bind(id); // log lines of this request carry it (requestId)
    ctx.next();
  }

  /**
   * The headers of every answer that is not the UI's (which sets its own, stricter for pages): never sniffed as
   * another type, never rendered as a document (an API answer opened in a tab runs nothing and loads nothing), not
   * framed, not cached (answers hold recorded data), no referrer.
   */
  static void securityHeaders(RoutingContext ctx) {
    putSecurityHeaders(ctx.response());
    ctx.next();
  }

  static void putSecurityHeaders(HttpServerResponse response) {
    response.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
  }

  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    if (id == null) {
      id = UUID.randomUUID().toString();
      ctx.put(REQUEST_ID, id);
    }
    return id;
  }

  static void setAccess(RoutingContext ctx, Access access) {
    ctx.put(ACCESS, access);
  }

  /** The authenticated caller's access; only on routes behind the authentication handler. */
  static Access access(RoutingContext ctx) {
    Access a = ctx.get(ACCESS);
    if (a == null) {
      throw new IllegalStateException("route is not behind the authentication handler");
    }
    return a;
  }

  static Access accessOrNull(RoutingContext ctx) {
    return ctx.get(ACCESS);
  }

  /** The query parameters, name → values as received. */
  static Map<String, List<String>> params(RoutingContext ctx) {
    MultiMap multi = ctx.queryParams();
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : multi.names()) {
      out.put(name, multi.getAll(name));
    }
    return out;
  }
}

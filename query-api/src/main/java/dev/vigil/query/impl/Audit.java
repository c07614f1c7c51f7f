package dev.vigil.query.impl;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON line per query on logger {@value #LOGGER} (INFO) — request id, caller (subject, username,
 * analyst), endpoint, parameters, result count — and one per refused request (every error answer of {@code /api/*}:
 * 400, 401, 403, 404, 405, 414/431, 5xx) with who, what (endpoint, path, path and query parameters), the status and
 * why. Never the token: JWT-shaped strings are replaced by {@value #REDACTED}, values are cut at {@value #MAX_VALUE}
 * characters (an oversized parameter cannot flood the log).
 */
final class Audit {

  static final String LOGGER = "vigil.query.audit";
  static final String REDACTED = "[redacted-token]";
  static final int MAX_VALUE = 256;
  private static final int MAX_PARAMS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  /** A JWS/JWT (three base64url parts, the first a JSON header): never written to the audit log. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

  private Audit() {}

  /** A query answered: {@code resultCount} documents (sessions, events, alerts, frames…) returned. */
  static void query(RoutingContext ctx, String endpoint, Map<String, Object> params, long resultCount) {
    JsonObject line = base(ctx, endpoint).put("params", new JsonObject(params)).put("resultCount", resultCount);
    LOG.info("{}", line.encode());
  }

  /** A request refused (answered with an error): who, what, which resource, the status and the reason. */
  static void refused(RoutingContext ctx, ApiException e) {
    String declared = QueryMetrics.declaredEndpoint(ctx);
    String method = ctx.request().method().name();
    JsonObject line = base(ctx, declared == null ? null : method + " " + declared)
        .put("path", safe(ctx.request().path()));
    JsonObject resource = new JsonObject();
    ctx.pathParams().forEach((k, v) -> {
      if (!"*".equals(k)) { // the wildcard of /api/* (authentication): the path says it already
        resource.put(k, safe(v));
      }
    });
    if (!resource.isEmpty()) {
      line.put("resource", resource);
    }
    JsonObject params = queryParams(ctx);
    if (!params.isEmpty()) {
      line.put("params", params);
    }
    line.put("status", e.status()).put("code", e.code()).put("reason", safe(e.getMessage()));
    if (e.auditDetail() != null) {
      line.put("detail", e.auditDetail());
    }
    LOG.info("{}", line.encode());
  }

  /** The query parameters as received (at most {@value #MAX_PARAMS}), values made safe; unreadable ones by name. */
  private static JsonObject queryParams(RoutingContext ctx) {
    JsonObject out = new JsonObject();
    try {
      for (Map.Entry<String, List<String>> p : Requests.params(ctx).entrySet()) {
        if (out.size() >= MAX_PARAMS) {
          out.put("…", "more parameters not logged");
          break;
        }
        String value = p.getValue().isEmpty() ? "" : p.getValue().get(0);
        out.put(safe(p.getKey()), p.getValue().size() > 1 ? safe(value) + " (+" + (p.getValue().size() - 1) + " more)"
            : safe(value));
      }
    } catch (HttpException | IllegalArgumentException malformed) {
      out.put("query", safe(ctx.request().query()));
    }
    return out;
  }

  /** A request the HTTP decoder refused (too long, malformed): no route, no caller, only what was readable. */
  static void invalid(HttpServerRequest request, String requestId, ApiException e) {
    String path = request.path();
    JsonObject line = new JsonObject()
        .put("requestId", requestId)
        .putNull("caller")
        .put("endpoint", request.method().name() + " " + (path == null ? "?" : safe(path)))
        .put("status", e.status()).put("code", e.code()).put("reason", e.getMessage());
    LOG.info("{}", line.encode());
  }

  /** {@code s} without anything shaped like a token, cut at {@value #MAX_VALUE} characters. */
  static String safe(String s) {
    if (s == null) {
      return null;
    }
    String redacted = JWT.matcher(s).replaceAll(REDACTED);
    return redacted.length() > MAX_VALUE ? redacted.substring(0, MAX_VALUE) + "…(" + s.length() + " chars)" : redacted;
  }

  private static JsonObject base(RoutingContext ctx, String endpoint) {
    Access access = Requests.accessOrNull(ctx);
    JsonObject caller = access == null ? null : new JsonObject()
        .put("subject", access.caller().subject())
        .put("username", access.caller().username())
        .put("analyst", access.analyst());
    return new JsonObject()
        .put("requestId", Requests.requestId(ctx))
        .put("caller", caller)
        .put("endpoint", endpoint == null ? ctx.request().method() + " " + safe(ctx.normalizedPath()) : endpoint);
  }
}

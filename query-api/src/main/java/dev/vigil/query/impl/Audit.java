package dev.vigil.query.impl;

import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON line per query on logger {@value #LOGGER} (INFO) — request id, caller (subject, username,
 * analyst), endpoint, parameters, result count — and one per refused request (401/403, with the reason). Never the token.
 */
final class Audit {

  static final String LOGGER = "vigil.query.audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private Audit() {}

  /** A query answered: {@code resultCount} documents (sessions, events, alerts, frames…) returned. */
  static void query(RoutingContext ctx, String endpoint, Map<String, Object> params, long resultCount) {
    JsonObject line = base(ctx, endpoint).put("params", new JsonObject(params)).put("resultCount", resultCount);
    LOG.info("{}", line.encode());
  }

  /** A request refused with {@code status} (401 or 403). */
  static void refused(RoutingContext ctx, String endpoint, int status, String reason) {
    JsonObject line = base(ctx, endpoint).put("status", status).put("reason", reason);
    LOG.info("{}", line.encode());
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
        .put("endpoint", endpoint == null ? ctx.request().method() + " " + ctx.request().path() : endpoint);
  }
}

package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON bodies and Kubernetes {@code Status} errors. */
final class Responses {

  static final String JSON = "application/json";

  private Responses() {}

  static void json(RoutingContext ctx, int code, JsonNode body) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    if (r.headWritten()) {
      r.end();
      return;
    }
    r.setStatusCode(code).putHeader("Content-Type", JSON).putHeader("Cache-Control", "no-cache, private")
        .end(Json.write(body));
  }

  static void error(RoutingContext ctx, StatusException e) {
    json(ctx, e.code(), e.toStatus());
  }

  static void error(RoutingContext ctx, int code, String reason, String message) {
    error(ctx, new StatusException(code, reason, message));
  }

  /** The success {@code Status} ({@code {"status":"Success"}}) some deletes return. */
  static ObjectNode success(String name, String kind, String group) {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    d.put("name", name);
    if (group != null && !group.isEmpty()) {
      d.put("group", group);
    }
    d.put("kind", kind);
    return s;
  }

  static StatusException notFoundPath() {
    return new StatusException(404, "NotFound", "the server could not find the requested resource");
  }
}

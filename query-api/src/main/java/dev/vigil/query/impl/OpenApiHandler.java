package dev.vigil.query.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/openapi.json}: the hand-written OpenAPI 3.1 document of every route (a resource of this module). */
final class OpenApiHandler {

  static final String RESOURCE = "/dev/vigil/query/openapi.json";

  private final String document;

  OpenApiHandler() {
    this.document = load().encode();
  }

  /** The document, parsed (also read by the test that checks that every route is in it). */
  static JsonObject load() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Resource " + RESOURCE + " is missing from the query API's jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + RESOURCE, e);
    }
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }
}

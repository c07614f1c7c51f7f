package dev.vigil.query.impl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Index documents as API JSON: a session, alert or event is its document's {@code _source} plus {@code "id"} (the
 * document id); {@code raw} only where asked for (export, verify).
 */
final class Documents {

  static final String RAW = "raw";

  private Documents() {}

  static JsonObject of(Hit<ObjectNode> hit, boolean keepRaw) {
    JsonObject o = hit.source() == null ? new JsonObject() : new JsonObject(hit.source().toString());
    if (!keepRaw) {
      o.remove(RAW);
    }
    o.put("id", hit.id());
    return o;
  }

  static List<JsonObject> list(SearchResponse<ObjectNode> r, boolean keepRaw) {
    List<JsonObject> out = new ArrayList<>(r.hits().hits().size());
    for (Hit<ObjectNode> hit : r.hits().hits()) {
      out.add(of(hit, keepRaw));
    }
    return out;
  }

  static JsonArray array(List<JsonObject> docs) {
    return new JsonArray(new ArrayList<>(docs));
  }

  static long total(SearchResponse<ObjectNode> r) {
    return r.hits().total() == null ? r.hits().hits().size() : r.hits().total().value();
  }

  /** A path segment, percent-encoded (spaces as %20, slashes and '#' encoded). */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code doc.a.b…} as a string, or null. */
  static String string(JsonObject doc, String... path) {
    Object v = value(doc, path);
    return v == null ? null : String.valueOf(v);
  }

  static Long number(JsonObject doc, String... path) {
    return value(doc, path) instanceof Number n ? n.longValue() : null;
  }

  static Object value(JsonObject doc, String... path) {
    Object v = doc;
    for (String p : path) {
      if (!(v instanceof JsonObject o)) {
        return null;
      }
      v = o.getValue(p);
    }
    return v;
  }
}

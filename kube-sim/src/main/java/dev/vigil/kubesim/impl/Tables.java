package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import java.util.List;
import java.util.Locale;

/**
 * Server-side printing: builds {@code meta.k8s.io} Table responses (what {@code kubectl get}
 * asks for) and PartialObjectMetadata views, chosen from the Accept header.
 */
final class Tables {

  /** What the client asked for in Accept. */
  enum As { OBJECT, TABLE, PARTIAL }

  record Negotiated(As as, String apiVersion) {}

  private Tables() {}

  /** Picks the first acceptable media range; plain JSON (or anything unknown) means OBJECT. */
  static Negotiated negotiate(String accept) {
    if (accept == null) {
      return new Negotiated(As.OBJECT, null);
    }
    for (String range : accept.split(",")) {
      String r = range.toLowerCase(Locale.ROOT).replace(" ", "");
      if (!r.contains("as=") || !r.contains("g=meta.k8s.io")) {
        if (r.startsWith("application/json") || r.startsWith("*/*") || r.startsWith("application/yaml")) {
          return new Negotiated(As.OBJECT, null);
        }
        continue;
      }
      String version = r.contains("v=v1beta1") ? "meta.k8s.io/v1beta1" : "meta.k8s.io/v1";
      if (r.contains("as=table")) {
        return new Negotiated(As.TABLE, version);
      }
      if (r.contains("as=partialobjectmetadata")) {
        return new Negotiated(As.PARTIAL, version);
      }
    }
    return new Negotiated(As.OBJECT, null);
  }

  /**
   * A Table of the given objects.
   *
   * @param includeObject "None", "Object" or (default) "PartialObjectMetadata"
   * @param withColumns false to omit columnDefinitions (later watch events)
   */
  static ObjectNode table(String kind, List<? extends JsonNode> objects, String apiVersion, String includeObject,
      String resourceVersion, boolean withColumns) {
    List<TableColumns.Column> columns = TableColumns.forKind(kind);
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", apiVersion);
    ObjectNode meta = t.putObject("metadata");
    if (resourceVersion != null) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (withColumns) {
      ArrayNode defs = t.putArray("columnDefinitions");
      for (TableColumns.Column c : columns) {
        defs.addObject().put("name", c.name()).put("type", c.type())
            .put("format", c.name().equals("Name") ? "name" : "")
            .put("description", c.description()).put("priority", c.priority());
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (JsonNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (TableColumns.Column c : columns) {
        cells.add(Json.MAPPER.valueToTree(c.cell().apply(o)));
      }
      if ("Object".equalsIgnoreCase(includeObject)) {
        row.set("object", o);
      } else if (!"None".equalsIgnoreCase(includeObject)) {
        row.set("object", partial(o, apiVersion));
      }
    }
    return t;
  }

  static ObjectNode partial(JsonNode o, String apiVersion) {
    ObjectNode p = Json.object();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", apiVersion == null ? "meta.k8s.io/v1" : apiVersion);
    p.set("metadata", o.get("metadata"));
    return p;
  }

  static ObjectNode partialList(List<? extends JsonNode> objects, String apiVersion, String resourceVersion) {
    ObjectNode l = Json.object();
    l.put("kind", "PartialObjectMetadataList");
    l.put("apiVersion", apiVersion);
    l.putObject("metadata").put("resourceVersion", resourceVersion);
    ArrayNode items = l.putArray("items");
    objects.forEach(o -> items.add(partial(o, apiVersion)));
    return l;
  }
}

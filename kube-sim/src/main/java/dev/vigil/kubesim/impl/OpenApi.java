package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ResourceRegistry;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * A minimal OpenAPI v3: the {@code /openapi/v3} index and one document per group version whose
 * PATCH operations carry {@code x-kubernetes-group-version-kind} and the {@code fieldValidation}
 * query parameter. That is what kubectl 1.32 checks before {@code apply}: with it, kubectl relies
 * on server-side field validation instead of downloading schemas, and (no strategic-merge request
 * body declared) computes apply patches from its built-in types. No schemas are served, so
 * {@code kubectl explain} does not work. {@code /openapi/v2} answers 404.
 */
final class OpenApi {

  private static final String PREFIX = "/openapi/v3/";
  private final ResourceRegistry registry;

  OpenApi(ResourceRegistry registry) {
    this.registry = registry;
  }

  void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.equals("/openapi/v3") || path.equals(PREFIX)) {
      Responses.json(ctx, 200, index());
      return;
    }
    if (path.startsWith(PREFIX)) {
      String gv = path.substring(PREFIX.length());
      for (Map.Entry<String, List<String>> e : registry.groupVersions().entrySet()) {
        for (String v : e.getValue()) {
          if (gv.equals(key(e.getKey(), v))) {
            Responses.json(ctx, 200, document(e.getKey(), v));
            return;
          }
        }
      }
    }
    Responses.error(ctx, new StatusException(404, "NotFound", "the server could not find the requested resource"));
  }

  private ObjectNode index() {
    ObjectNode root = Json.object();
    ObjectNode paths = root.putObject("paths");
    for (Map.Entry<String, List<String>> e : registry.groupVersions().entrySet()) {
      for (String v : e.getValue()) {
        String key = key(e.getKey(), v);
        paths.putObject(key).put("serverRelativeURL", PREFIX + key + "?hash=" + Discovery.GIT_VERSION);
      }
    }
    return root;
  }

  private static String key(String group, String version) {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  private ObjectNode document(String group, String version) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes (kube-sim)").put("version", Discovery.GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : registry.forGroupVersion(group, version)) {
      String base = "/" + key(group, version) + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
      ObjectNode item = paths.putObject(base + "/{name}");
      item.set("get", operation(t, "get", "read" + t.kind()));
      ObjectNode patch = operation(t, "patch", "patch" + t.kind());
      ArrayNode params = patch.putArray("parameters");
      for (String q : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        params.addObject().put("name", q).put("in", "query").putObject("schema").put("type", "string");
      }
      item.set("patch", patch);
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static ObjectNode operation(ResourceType t, String action, String id) {
    ObjectNode op = Json.object();
    op.put("operationId", id);
    op.putObject("responses").putObject("200").put("description", "OK");
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind")
        .put("group", t.group()).put("version", t.version()).put("kind", t.kind());
    return op;
  }
}

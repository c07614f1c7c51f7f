package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ResourceType;
import io.vertx.core.MultiMap;

/**
 * Answers the review APIs without RBAC: every access is allowed ({@code kubectl auth can-i});
 * {@code kubectl auth whoami} reports the impersonated user and groups if the request carried
 * {@code Impersonate-User}/{@code Impersonate-Group}, else {@code kube-sim-user}.
 */
final class Reviews {

  static final String DEFAULT_USER = "kube-sim-user";

  private Reviews() {}

  static ObjectNode answer(ResourceType type, ObjectNode body, MultiMap headers) {
    ObjectNode out = body.deepCopy();
    out.put("apiVersion", type.apiVersion());
    out.put("kind", type.kind());
    Json.obj(out, "metadata").put("creationTimestamp", (String) null);
    ObjectNode status = out.putObject("status");
    switch (type.kind()) {
      case "SelfSubjectAccessReview" -> status.put("allowed", true)
          .put("reason", "kube-sim does not enforce RBAC");
      case "SelfSubjectRulesReview" -> {
        status.putArray("resourceRules").addObject()
            .<ObjectNode>set("verbs", Json.MAPPER.createArrayNode().add("*"))
            .<ObjectNode>set("apiGroups", Json.MAPPER.createArrayNode().add("*"))
            .set("resources", Json.MAPPER.createArrayNode().add("*"));
        status.putArray("nonResourceRules").addObject()
            .<ObjectNode>set("verbs", Json.MAPPER.createArrayNode().add("*"))
            .set("nonResourceURLs", Json.MAPPER.createArrayNode().add("*"));
        status.put("incomplete", false);
      }
      default -> {
        ObjectNode user = status.putObject("userInfo");
        String impersonated = headers.get("Impersonate-User");
        user.put("username", impersonated != null ? impersonated : DEFAULT_USER);
        ArrayNode groups = user.putArray("groups");
        if (impersonated != null) {
          headers.getAll("Impersonate-Group").forEach(groups::add);
        } else {
          groups.add("system:masters");
        }
        groups.add("system:authenticated");
      }
    }
    return out;
  }
}

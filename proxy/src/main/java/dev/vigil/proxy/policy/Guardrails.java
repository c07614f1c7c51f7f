package dev.vigil.proxy.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.codec.KubeTrees;
import dev.vigil.codec.PodSecurity;
import dev.vigil.codec.WriteContent;
import dev.vigil.schema.Channel;

/**
 * The enabled guardrails of a policy and their parameters. Kubernetes guardrails look at resource requests only,
 * LLM guardrails at LLM calls only.
 */
final class Guardrails {

  /** A guardrail's deny: which one, and why. */
  record Denial(Guardrail guardrail, String reason) {}

  private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch");
  private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
  private static final Set<String> CRITICAL = Set.of("namespaces", "customresourcedefinitions", "nodes");
  private static final Set<String> BINDINGS = Set.of("rolebindings", "clusterrolebindings");
  private static final Set<String> ROLES = Set.of("roles", "clusterroles");

  private final Set<Guardrail> enabled;
  private final Set<String> secretNamespaces;

  Guardrails(Set<Guardrail> enabled, Set<String> secretNamespaces) {
    this.enabled = enabled.isEmpty() ? EnumSet.noneOf(Guardrail.class) : EnumSet.copyOf(enabled);
    this.secretNamespaces = Set.copyOf(secretNamespaces);
  }

  Set<Guardrail> enabled() {
    return Set.copyOf(enabled);
  }

  Set<String> secretNamespaces() {
    return secretNamespaces;
  }

  /**
   * Reads the {@code guardrails} section: each guardrail is on unless switched off with {@code name: false} or
   * {@code name: {enabled: false}}; errors go to {@code fields}.
   */
  static Guardrails parse(JsonNode node, PolicyFields fields) {
    Set<Guardrail> enabled = EnumSet.allOf(Guardrail.class);
    Set<String> secretNamespaces = Set.of();
    if (node == null || node.isNull()) {
      return new Guardrails(enabled, secretNamespaces);
    }
    if (!node.isObject()) {
      fields.error("guardrails: must be a mapping of guardrail name to true/false or to its settings");
      return new Guardrails(enabled, secretNamespaces);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String where = "guardrails." + e.getKey();
      Guardrail g = Guardrail.byId(e.getKey()).orElse(null);
      if (g == null) {
        fields.error(where + ": unknown guardrail (known: " + known() + ")");
        continue;
      }
      JsonNode v = e.getValue();
      Boolean on;
      if (v.isBoolean()) {
        on = v.booleanValue();
      } else if (v.isObject()) {
        Set<String> allowed = g == Guardrail.SECRETS_ONLY_IN_ALLOWED_NAMESPACES
            ? Set.of("enabled", "namespaces") : Set.of("enabled");
        fields.unknownFields(v, allowed, where + ".");
        on = v.has("enabled") ? fields.bool(v.get("enabled"), where + ".enabled") : Boolean.TRUE;
        if (g == Guardrail.SECRETS_ONLY_IN_ALLOWED_NAMESPACES && v.has("namespaces")) {
          Set<String> ns = fields.strings(v.get("namespaces"), where + ".namespaces", true);
          secretNamespaces = ns == null ? secretNamespaces : ns;
        }
      } else {
        fields.error(where + ": must be true, false or a mapping of settings");
        continue;
      }
      if (Boolean.FALSE.equals(on)) {
        enabled.remove(g);
      }
    }
    return new Guardrails(enabled, secretNamespaces);
  }

  private static String known() {
    List<String> names = new ArrayList<>();
    for (Guardrail g : Guardrail.values()) {
      names.add(g.id());
    }
    return String.join(", ", names);
  }

  /** The first enabled guardrail that denies the request, or null. */
  Denial check(PolicyRequest r) {
    boolean llm = r.channel() == Channel.LLM;
    if (!llm && (!r.resourceRequest() || r.resource() == null)) {
      return null;
    }
    for (Guardrail g : enabled) {
      if (g.llm() != llm) {
        continue;
      }
      String reason = reason(g, r);
      if (reason != null) {
        return new Denial(g, reason);
      }
    }
    return null;
  }

  private String reason(Guardrail g, PolicyRequest r) {
    String resource = r.resource();
    String verb = r.verb();
    String sub = r.subresource();
    switch (g) {
      case NO_EXEC_KUBE_SYSTEM:
        if ("pods".equals(resource) && sub != null && Guardrail.CONNECT_SUBRESOURCES.contains(sub)
            && "kube-system".equals(r.namespace())) {
          return "pods/" + sub + " in kube-system is not allowed";
        }
        return null;
      case NO_DELETE_CRITICAL:
        if (CRITICAL.contains(resource) && sub == null && ("delete".equals(verb) || "deletecollection".equals(verb))) {
          return "deleting " + resource + " is not allowed";
        }
        return null;
      case NO_DELETECOLLECTION:
        return "deletecollection".equals(verb) ? "deletecollection is not allowed" : null;
      case NO_ADMIN_BINDINGS:
        return adminBinding(r);
      case SECRETS_ONLY_IN_ALLOWED_NAMESPACES:
        if (!"secrets".equals(resource) || !READ_VERBS.contains(verb)) {
          return null;
        }
        if (r.namespace() == null) {
          return "reading secrets across all namespaces is not allowed";
        }
        return secretNamespaces.contains(r.namespace()) ? null
            : "reading secrets in namespace " + r.namespace() + " is not allowed";
      case NO_PRIVILEGED_PODS:
        return privilegedPod(r);
      case NO_SECRET_IN_LLM_PROMPT:
        return secretInPrompt(r);
      default:
        throw new IllegalStateException("unhandled guardrail " + g);
    }
  }

  private static String adminBinding(PolicyRequest r) {
    boolean binding = BINDINGS.contains(r.resource());
    boolean role = ROLES.contains(r.resource());
    if (!(binding || role) || r.subresource() != null || !WRITE_VERBS.contains(r.verb())) {
      return null;
    }
    JsonNode content = WriteContent.of(r.body());
    if (content == null) {
      return r.resource() + " " + r.verb() + " with a body the gateway cannot inspect is not allowed";
    }
    if (binding) {
      JsonNode name = content.path("roleRef").path("name");
      return name.isTextual() && "cluster-admin".equals(name.asText())
          ? "binding to cluster-admin is not allowed" : null;
    }
    boolean wildcard = KubeTrees.find(content.get("rules"), (k, v) -> ("verbs".equals(k) || "resources".equals(k))
        && KubeTrees.strings(v).contains("*"));
    return wildcard ? r.resource() + " granting '*' verbs or resources are not allowed" : null;
  }

  /** Names the finding (its fingerprint), never the value. */
  private static String secretInPrompt(PolicyRequest r) {
    List<String> found = r.promptSecrets();
    if (!found.isEmpty()) {
      return "the request contains the value of a Kubernetes Secret this session read (finding k8s-secret at "
          + "llm.prompt, fingerprint " + found.get(0) + (found.size() > 1 ? ", and " + (found.size() - 1) + " more" : "")
          + ")";
    }
    return r.promptUnscanned()
        ? "the request could not be checked whole for the Kubernetes Secret values this session read" : null;
  }

  private static String privilegedPod(PolicyRequest r) {
    if (!PodSecurity.carriesPodSpec(r.resource(), r.subresource()) || !WRITE_VERBS.contains(r.verb())) {
      return null;
    }
    JsonNode content = WriteContent.of(r.body());
    if (content == null) {
      return r.resource() + " " + r.verb() + " with a body the gateway cannot inspect is not allowed";
    }
    List<PodSecurity.Setting> found = PodSecurity.settings(content);
    if (found.isEmpty()) {
      return null;
    }
    return switch (found.get(0)) {
      case PRIVILEGED -> "privileged containers are not allowed";
      case HOST_PATH -> "hostPath volumes are not allowed";
      default -> found.get(0).field() + " is not allowed";
    };
  }
}

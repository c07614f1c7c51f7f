package dev.vigil.proxy.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.codec.KubeTrees;
import dev.vigil.codec.PodSecurity;
import dev.vigil.codec.WriteContent;

/** The enabled guardrails of a policy and their parameters. */
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

  /** The first enabled guardrail that denies the request, or null. */
  Denial check(PolicyRequest r) {
    if (!r.resourceRequest() || r.resource() == null) {
      return null;
    }
    for (Guardrail g : enabled) {
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

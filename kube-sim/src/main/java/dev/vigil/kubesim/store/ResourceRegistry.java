package dev.vigil.kubesim.store;

import dev.vigil.kubesim.store.ResourceType.Subresource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resource types kube-sim serves (core/v1, apps/v1, rbac.authorization.k8s.io/v1). */
public final class ResourceRegistry {

  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> NS_VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final List<ResourceType> types;

  private ResourceRegistry(List<ResourceType> types) {
    this.types = List.copyOf(types);
  }

  /** The built-in set of resources. */
  public static ResourceRegistry builtin() {
    List<ResourceType> t = new ArrayList<>();
    // core/v1
    t.add(type("", "namespaces", "namespace", "Namespace", false, List.of("ns"), NS_VERBS, List.of(),
        List.of(sub("status", "Namespace", STATUS_VERBS), sub("finalize", "Namespace", List.of("update")))));
    t.add(type("", "pods", "pod", "Pod", true, List.of("po"), ALL_VERBS, List.of("all"), List.of(
        sub("attach", "PodAttachOptions", List.of("create", "get")),
        sub("exec", "PodExecOptions", List.of("create", "get")),
        sub("log", "Pod", List.of("get")),
        sub("portforward", "PodPortForwardOptions", List.of("create", "get")),
        sub("status", "Pod", STATUS_VERBS))));
    t.add(type("", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), ALL_VERBS, List.of(), List.of()));
    t.add(type("", "secrets", "secret", "Secret", true, List.of(), ALL_VERBS, List.of(), List.of()));
    t.add(type("", "services", "service", "Service", true, List.of("svc"),
        List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        List.of("all"), List.of(sub("status", "Service", STATUS_VERBS))));
    t.add(type("", "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), ALL_VERBS,
        List.of(), List.of()));
    t.add(type("", "events", "event", "Event", true, List.of("ev"), ALL_VERBS, List.of(), List.of()));
    t.add(type("", "nodes", "node", "Node", false, List.of("no"), ALL_VERBS, List.of(),
        List.of(sub("status", "Node", STATUS_VERBS))));
    // apps/v1
    Subresource scale = new Subresource("scale", "Scale", "autoscaling", "v1", STATUS_VERBS);
    t.add(type("apps", "deployments", "deployment", "Deployment", true, List.of("deploy"), ALL_VERBS,
        List.of("all"), List.of(scale, sub("status", "Deployment", STATUS_VERBS))));
    t.add(type("apps", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"), ALL_VERBS,
        List.of("all"), List.of(scale, sub("status", "ReplicaSet", STATUS_VERBS))));
    // rbac.authorization.k8s.io/v1
    String rbac = "rbac.authorization.k8s.io";
    t.add(type(rbac, "roles", "role", "Role", true, List.of(), ALL_VERBS, List.of(), List.of()));
    t.add(type(rbac, "rolebindings", "rolebinding", "RoleBinding", true, List.of(), ALL_VERBS, List.of(), List.of()));
    t.add(type(rbac, "clusterroles", "clusterrole", "ClusterRole", false, List.of(), ALL_VERBS, List.of(), List.of()));
    t.add(type(rbac, "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, List.of(),
        ALL_VERBS, List.of(), List.of()));
    // review APIs (create-only, nothing is stored): kubectl auth can-i / whoami
    List<String> create = List.of("create");
    t.add(type("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview",
        "SelfSubjectAccessReview", false, List.of(), create, List.of(), List.of()));
    t.add(type("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview",
        "SelfSubjectRulesReview", false, List.of(), create, List.of(), List.of()));
    t.add(type("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false,
        List.of(), create, List.of(), List.of()));
    return new ResourceRegistry(t);
  }

  private static ResourceType type(String group, String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> verbs, List<String> categories, List<Subresource> subs) {
    return new ResourceType(group, "v1", plural, singular, kind, namespaced, shortNames, verbs, categories, subs);
  }

  private static Subresource sub(String name, String kind, List<String> verbs) {
    return new Subresource(name, kind, "", "", verbs);
  }

  /** All types, including the create-only review types that are never stored. */
  public List<ResourceType> all() {
    return types;
  }

  /** Groups in discovery order: "" first, then the named groups, each mapped to its versions. */
  public Map<String, List<String>> groupVersions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : types) {
      List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!versions.contains(t.version())) {
        versions.add(t.version());
      }
    }
    return out;
  }

  public List<ResourceType> forGroupVersion(String group, String version) {
    return types.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  /** Finds a type by apiVersion ("v1", "apps/v1") and kind. */
  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    return types.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }

  /** Finds a type by plural, singular, kind or short name; "deployments.apps" also works. */
  public Optional<ResourceType> byName(String name) {
    return types.stream().filter(t -> t.matches(name)).findFirst();
  }

  public ResourceType require(String name) {
    return byName(name).orElseThrow(() -> new IllegalArgumentException("unknown resource " + name));
  }
}

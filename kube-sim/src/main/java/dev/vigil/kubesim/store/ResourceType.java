package dev.vigil.kubesim.store;

import java.util.List;
import java.util.Optional;

/**
 * One kind of object kube-sim serves, as described in discovery.
 *
 * @param group API group, "" for core
 * @param subresources e.g. "status", "log", "scale"
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> verbs,
    List<String> categories,
    List<Subresource> subresources) {

  /** A subresource as listed in discovery ({@code pods/log}). Group/version empty = same as parent. */
  public record Subresource(String name, String kind, String group, String version, List<String> verbs) {}

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "configmaps" for core, "deployments.apps" otherwise (as used in Status messages). */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public String listKind() {
    return kind + "List";
  }

  public Optional<Subresource> subresource(String name) {
    return subresources.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Create-only review types (SelfSubjectAccessReview, ...): answered, never stored. */
  public boolean isReview() {
    return kind.endsWith("Review");
  }

  public boolean hasStatusSubresource() {
    return subresource("status").isPresent();
  }

  /** True if {@code name} is the plural, singular, kind or a short name (case-insensitive). */
  public boolean matches(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return plural.equals(n) || singular.equals(n) || kind.toLowerCase(java.util.Locale.ROOT).equals(n)
        || shortNames.contains(n) || groupResource().equals(n);
  }
}

package dev.vigil.proxy.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.schema.Channel;

/**
 * One compiled rule. Every present match field must match (AND); within a list any entry may match (OR); {@code "*"}
 * matches every value, including none. An absent field matches everything, except {@code subresources}: absent on an
 * allow rule it matches only requests without a subresource, absent on a deny rule it matches any. {@code models}
 * (exact names, or prefixes ending in {@code *}) match LLM calls only: a rule with them never matches a Kubernetes call.
 */
record Rule(String id, PolicyEffect effect, String reason, boolean matchAll, Set<String> subjects,
    Set<String> usernames, Set<String> groups, Set<String> issuers, Set<String> channels, Set<String> verbs,
    Set<String> apiGroups, Set<String> resources, Set<String> subresources, Set<String> namespaces,
    Map<String, String> namespaceLabels, Map<String, String> objectLabels, List<String> nonResourcePaths,
    List<String> models, RecordMode record, Boolean strict, Boolean maskResponse) {

  static final String WILDCARD = "*";

  boolean hasResourceFields() {
    return apiGroups != null || resources != null || subresources != null || namespaces != null
        || namespaceLabels != null || objectLabels != null;
  }

  boolean matches(PolicyRequest r) {
    if (!matchesIgnoringLabels(r)) {
      return false;
    }
    Map<String, String> nsLabels = r.namespace() == null ? Map.of() : r.namespaceLabels();
    return labelsMatch(namespaceLabels, nsLabels) && labelsMatch(objectLabels, r.objectLabels());
  }

  /**
   * Whether every match field other than {@code namespaceLabels} and {@code objectLabels} matches: only then can this
   * rule's outcome depend on the labels of the request (which is when the gateway looks them up).
   */
  boolean matchesIgnoringLabels(PolicyRequest r) {
    if (!in(subjects, r.subject()) || !in(usernames, r.username()) || !in(issuers, r.issuer())
        || !in(channels, r.channel() == null ? null : r.channel().name()) || !in(verbs, r.verb())) {
      return false;
    }
    if (groups != null && !groups.contains(WILDCARD) && r.groups().stream().noneMatch(groups::contains)) {
      return false;
    }
    if (models != null && (r.channel() != Channel.LLM || !prefixMatch(models, r.model()))) {
      return false;
    }
    if (nonResourcePaths != null) {
      return !r.resourceRequest() && pathMatches(r.path());
    }
    if (!hasResourceFields()) {
      return true;
    }
    if (!r.resourceRequest()) {
      return false;
    }
    if (!in(apiGroups, r.apiGroup()) || !in(resources, r.resource())) {
      return false;
    }
    if (subresources == null) {
      if (effect == PolicyEffect.ALLOW && r.subresource() != null) {
        return false;
      }
    } else if (!inOrEmpty(subresources, r.subresource())) {
      return false;
    }
    return inOrEmpty(namespaces, r.namespace());
  }

  /** A selector against labels; unknown labels (null) satisfy a deny rule's selector and never an allow rule's. */
  private boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (labels == null) {
      return effect == PolicyEffect.DENY;
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      String actual = labels.get(e.getKey());
      if (actual == null || !(WILDCARD.equals(e.getValue()) || e.getValue().equals(actual))) {
        return false;
      }
    }
    return true;
  }

  private boolean pathMatches(String path) {
    if (path == null) {
      return false;
    }
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return prefixMatch(nonResourcePaths, p) || prefixMatch(nonResourcePaths, path);
  }

  /**
   * Whether {@code value} is one of {@code patterns}: equal to an entry, or starting with an entry's text before its
   * trailing {@code *}; {@code "*"} alone matches anything, null included.
   */
  private static boolean prefixMatch(List<String> patterns, String value) {
    for (String pattern : patterns) {
      if (WILDCARD.equals(pattern)) {
        return true;
      }
      if (value != null && (pattern.equals(value)
          || (pattern.endsWith(WILDCARD) && value.startsWith(pattern.substring(0, pattern.length() - 1))))) {
        return true;
      }
    }
    return false;
  }

  private static boolean in(Set<String> set, String value) {
    return set == null || set.contains(WILDCARD) || (value != null && set.contains(value));
  }

  /** As {@link #in}, where the entry {@code ""} stands for "none" (no namespace, no subresource). */
  private static boolean inOrEmpty(Set<String> set, String value) {
    return set == null || set.contains(WILDCARD) || set.contains(value == null ? "" : value);
  }
}

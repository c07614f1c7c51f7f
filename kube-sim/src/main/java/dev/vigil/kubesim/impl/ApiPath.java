package dev.vigil.kubesim.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A parsed resource path, following the apiserver's RequestInfo rules:
 * {@code /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]} and the same
 * under {@code /apis/{group}/{version}}.
 *
 * @param resource null for the group-version root (discovery)
 */
record ApiPath(String group, String version, String namespace, String resource, String name,
    String subresource, boolean watchPrefix) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** Parses a path; returns null if it is not under /api or /apis with a version. */
  static ApiPath parse(String path) {
    List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    String group;
    String version;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      parts = parts.subList(3, parts.size());
    } else {
      return null;
    }
    boolean watch = false;
    if (!parts.isEmpty() && parts.get(0).equals("watch")) {
      watch = true;
      parts = parts.subList(1, parts.size());
    }
    String namespace = null;
    if (parts.size() >= 2 && parts.get(0).equals("namespaces")) {
      if (parts.size() >= 3 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
        namespace = parts.get(1);
        parts = parts.subList(2, parts.size());
      }
    }
    String resource = parts.size() > 0 ? parts.get(0) : null;
    String name = parts.size() > 1 ? parts.get(1) : null;
    String sub = parts.size() > 2 ? String.join("/", parts.subList(2, parts.size())) : null;
    return new ApiPath(group, version, namespace, resource, name, sub, watch);
  }
}

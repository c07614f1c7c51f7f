package dev.vigil.proxy.impl;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.vigil.schema.KubernetesRequestInfo;

/**
 * Derives Kubernetes request attributes from method, path and query, following kube-apiserver's
 * {@code RequestInfoFactory}: {@code /api/v1/...} and {@code /apis/<group>/<version>/...} are resource requests,
 * anything else ({@code /version}, {@code /api}, {@code /apis}, {@code /openapi/v3}, {@code /healthz}...) is a
 * non-resource request whose verb is the lower-case HTTP method.
 */
final class RequestInfoParser {

  /** The result: the canonical path the upstream receives, the raw query, and the request attributes. */
  record ParsedRequest(String canonicalPath, String query, KubernetesRequestInfo info) {}

  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  private static final Set<String> TRUE_VALUES = Set.of("1", "t", "T", "TRUE", "true", "True");

  ParsedRequest parse(String method, String rawPath, String rawQuery) throws InvalidRequestException {
    String canonical = CanonicalPath.canonicalize(rawPath);
    String query = rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
    return new ParsedRequest(canonical, query, info(method, CanonicalPath.decodedSegments(canonical), query));
  }

  private KubernetesRequestInfo info(String method, List<String> parts, String query) {
    String m = method.toUpperCase(Locale.ROOT);
    KubernetesRequestInfo.Builder b = KubernetesRequestInfo.newBuilder()
        .setResourceRequest(false)
        .setVerb(m.toLowerCase(Locale.ROOT))
        .setApiGroup("");
    if (parts.isEmpty() || !("api".equals(parts.get(0)) || "apis".equals(parts.get(0)))) {
      return b.build();
    }
    boolean grouped = "apis".equals(parts.get(0));
    int i = 1;
    String group = "";
    if (grouped) {
      if (parts.size() < 3) {
        return b.build(); // /apis or /apis/<group>: discovery
      }
      group = parts.get(i++);
    }
    if (parts.size() <= i) {
      return b.build(); // /api
    }
    String version = parts.get(i++);
    List<String> rest = parts.subList(i, parts.size());
    if (rest.isEmpty()) {
      return b.setApiGroup(group).setApiVersion(version).build(); // /api/v1, /apis/apps/v1: discovery
    }
    b.setApiGroup(group).setApiVersion(version);
    String verb;
    if (SPECIAL_VERBS.contains(rest.get(0))) {
      if (rest.size() < 2) {
        return b.build(); // kube-apiserver refuses these; keep them non-resource
      }
      verb = rest.get(0);
      rest = rest.subList(1, rest.size());
    } else {
      verb = verbFor(m);
    }
    b.setResourceRequest(true);
    if ("namespaces".equals(rest.get(0))) {
      if (rest.size() > 1) {
        b.setNamespace(rest.get(1));
        if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
          rest = rest.subList(2, rest.size());
        }
      }
    }
    if (rest.size() >= 3 && !"watch".equals(verb)) {
      b.setSubresource(rest.get(2));
    }
    if (rest.size() >= 2) {
      b.setName(rest.get(1));
    }
    b.setResource(rest.get(0));
    if (b.getName() == null && "get".equals(verb)) {
      verb = isTrue(param(query, "watch")) ? "watch" : "list";
      String byField = nameFromFieldSelector(param(query, "fieldSelector"));
      if (byField != null) {
        b.setName(byField);
      }
    }
    if (b.getName() == null && "delete".equals(verb)) {
      verb = "deletecollection";
    }
    return b.setVerb(verb).build();
  }

  private static String verbFor(String method) {
    switch (method) {
      case "POST": return "create";
      case "GET": case "HEAD": return "get";
      case "PUT": return "update";
      case "PATCH": return "patch";
      case "DELETE": return "delete";
      default: return "";
    }
  }

  private static boolean isTrue(String v) {
    return v != null && TRUE_VALUES.contains(v);
  }

  /** The last value of {@code name} in a form-encoded query, or null. */
  static String param(String query, String name) {
    if (query == null) {
      return null;
    }
    String found = null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (name.equals(k)) {
        found = eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return found;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** {@code metadata.name=x} (or {@code ==}) among the comma-separated terms, as kube-apiserver does for lists. */
  private static String nameFromFieldSelector(String selector) {
    if (selector == null) {
      return null;
    }
    for (String term : selector.split(",")) {
      String t = term.strip();
      String value = null;
      if (t.startsWith("metadata.name==")) {
        value = t.substring("metadata.name==".length());
      } else if (t.startsWith("metadata.name=")) {
        value = t.substring("metadata.name=".length());
      }
      if (value != null && !value.isEmpty() && !value.contains("/") && !value.contains("%")
          && !".".equals(value) && !"..".equals(value)) {
        return value;
      }
    }
    return null;
  }
}

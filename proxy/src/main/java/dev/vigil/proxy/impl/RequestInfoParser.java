package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.vigil.schema.KubernetesRequestInfo;

/**
 * Derives Kubernetes request attributes from method, path and query exactly as kube-apiserver's
 * {@code RequestInfoFactory.NewRequestInfo} does: fewer than three path parts, or a first part other than
 * {@code api}/{@code apis}, is a non-resource request whose verb is the lower-case HTTP method (so {@code /apis/apps/v1}
 * is non-resource, with no group or version); {@code watch} and {@code proxy} as the first part after the version
 * are verbs; otherwise the verb comes from the method. A nameless {@code get} is {@code watch} when the first
 * {@code watch} value is true in Kubernetes' sense, else {@code list}, and {@code fieldSelector=metadata.name=x}
 * names it; a nameless {@code delete} is {@code deletecollection}. Connect subresources (exec, attach, portforward,
 * proxy) keep the method's verb ({@code GET} → get, {@code POST} → create), as kube-apiserver reports them.
 */
final class RequestInfoParser {

  /**
   * The result: the canonical path and query the upstream receives, the request attributes, and whether the call is
   * long-running in kube-apiserver's sense (verb watch or proxy; subresource attach, exec, proxy, log, portforward).
   */
  record ParsedRequest(String canonicalPath, String query, KubernetesRequestInfo info, boolean longRunning,
      KubeQuery params) {

    boolean follow() {
      return params.flag("follow");
    }
  }

  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> SPECIAL_VERBS_NO_SUBRESOURCES = Set.of("proxy");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");
  private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log", "portforward");

  ParsedRequest parse(String method, String rawPath, String rawQuery) throws InvalidRequestException {
    String canonical = CanonicalPath.canonicalize(rawPath);
    KubeQuery query = KubeQuery.parse(rawQuery);
    List<String> segments = CanonicalPath.decodedSegments(canonical);
    KubernetesRequestInfo info = info(method, segments, query);
    refuseSemicolons(info, segments);
    boolean longRunning = LONG_RUNNING_VERBS.contains(info.getVerb())
        || (info.getResourceRequest() && info.getSubresource() != null
            && LONG_RUNNING_SUBRESOURCES.contains(info.getSubresource()));
    return new ParsedRequest(canonical, query.canonical(), info, longRunning, query);
  }

  private static KubernetesRequestInfo info(String method, List<String> path, KubeQuery query)
      throws InvalidRequestException {
    KubernetesRequestInfo.Builder b = KubernetesRequestInfo.newBuilder()
        .setResourceRequest(false)
        .setVerb(method.toLowerCase(Locale.ROOT))
        .setApiGroup("");
    List<String> parts = path;
    if (parts.size() < 3 || !("api".equals(parts.get(0)) || "apis".equals(parts.get(0)))) {
      return b.build();
    }
    boolean grouped = "apis".equals(parts.get(0));
    parts = parts.subList(1, parts.size());
    String group = "";
    if (grouped) {
      if (parts.size() < 3) {
        return b.build();
      }
      group = parts.get(0);
      parts = parts.subList(1, parts.size());
    }
    String version = parts.get(0);
    parts = parts.subList(1, parts.size());
    String verb;
    if (SPECIAL_VERBS.contains(parts.get(0))) {
      if (parts.size() < 2) {
        throw new InvalidRequestException("unable to determine kind and namespace from url " + String.join("/", path));
      }
      verb = parts.get(0);
      parts = parts.subList(1, parts.size());
    } else {
      verb = verbFor(method);
    }
    b.setResourceRequest(true).setApiGroup(group).setApiVersion(version);
    if ("namespaces".equals(parts.get(0)) && parts.size() > 1) {
      b.setNamespace(parts.get(1));
      if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
        parts = parts.subList(2, parts.size());
      }
    }
    if (parts.size() >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.contains(verb)) {
      b.setSubresource(parts.get(2));
    }
    if (parts.size() >= 2) {
      b.setName(parts.get(1));
    }
    b.setResource(parts.get(0));
    if (b.getName() == null && "get".equals(verb)) {
      // kube-apiserver decodes ListOptions; if that fails it keeps only the watch flag and names nothing
      boolean decodes = !query.badInteger("limit") && !query.badInteger("timeoutSeconds");
      String byField = decodes ? exactName(query.first("fieldSelector")) : null;
      verb = query.flag("watch") ? "watch" : "list";
      if (byField != null && byField.length() > 0) {
        b.setName(byField);
      }
    }
    if (b.getName() == null && "delete".equals(verb)) {
      verb = "deletecollection";
    }
    return b.setVerb(verb).build();
  }

  /**
   * No API group, version, resource, subresource, namespace or object name can contain {@code ;} (literal or
   * {@code %3B}), and no non-resource path kube-apiserver serves does: such a path would name something that cannot
   * exist ({@code /api;v=1/...}, {@code pods;x}), so it is refused rather than decided on a name policy never sees.
   * The path a {@code proxy} subresource or verb forwards (after the name) may contain one.
   */
  private static void refuseSemicolons(KubernetesRequestInfo info, List<String> segments) throws InvalidRequestException {
    boolean found;
    if (info.getResourceRequest()) {
      found = java.util.stream.Stream.of(info.getApiGroup(), info.getApiVersion(), info.getResource(),
          info.getSubresource(), info.getNamespace(), info.getName()).anyMatch(v -> v != null && v.indexOf(';') >= 0);
    } else {
      found = segments.stream().anyMatch(v -> v.indexOf(';') >= 0);
    }
    if (found) {
      throw new InvalidRequestException("request path contains ';' in a segment that names an API group, version, "
          + "resource, namespace or object (the Kubernetes API has no such names)");
    }
  }

  private static String verbFor(String method) {
    switch (method.toUpperCase(Locale.ROOT)) {
      case "POST": return "create";
      case "GET": case "HEAD": return "get";
      case "PUT": return "update";
      case "PATCH": return "patch";
      case "DELETE": return "delete";
      default: return "";
    }
  }

  /**
   * The value a field selector requires {@code metadata.name} to equal, as Kubernetes' {@code fields.ParseSelector}
   * and {@code RequiresExactMatch} compute it (terms sorted, first {@code =}/{@code ==} term wins), when it is a valid
   * path segment name; null otherwise, and null for a selector kube-apiserver could not parse.
   */
  static String exactName(String selector) {
    if (selector == null) {
      return null;
    }
    List<String> terms = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean escaped = false;
    for (char c : selector.toCharArray()) {
      if (!escaped && c == ',') {
        terms.add(current.toString());
        current.setLength(0);
        continue;
      }
      escaped = !escaped && c == '\\';
      current.append(c);
    }
    terms.add(current.toString());
    terms.sort(null);
    String found = null;
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      int op = -1;
      String operator = null;
      for (int i = 0; i < term.length() && op < 0; i++) {
        for (String o : new String[] {"!=", "==", "="}) {
          if (term.startsWith(o, i)) {
            op = i;
            operator = o;
            break;
          }
        }
      }
      if (op < 0) {
        return null;
      }
      String value = unescapeSelectorValue(term.substring(op + operator.length()));
      if (value == null) {
        return null;
      }
      if (found == null && !"!=".equals(operator) && "metadata.name".equals(term.substring(0, op))) {
        found = value;
      }
    }
    if (found == null || ".".equals(found) || "..".equals(found) || found.contains("/") || found.contains("%")) {
      return null;
    }
    return found;
  }

  private static String unescapeSelectorValue(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean inSlash = false;
    for (char c : s.toCharArray()) {
      if (inSlash) {
        if (c != '\\' && c != ',' && c != '=') {
          return null;
        }
        out.append(c);
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',' || c == '=') {
        return null;
      } else {
        out.append(c);
      }
    }
    return inSlash ? null : out.toString();
  }
}

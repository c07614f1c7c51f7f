package dev.vigil.query.impl;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/**
 * Renders a recorded Kubernetes call as the kubectl command that makes it, from the event's parsed request info
 * ({@code k8s.*}), query string and (for creates) the body's {@code metadata.name}: {@code kubectl get pods -n
 * payments}, {@code kubectl exec payments-api-x -n payments -- env}. A reading aid, not a replayable command: what
 * kubectl would send may differ in details (API group, field selectors).
 */
final class Kubectl {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");
  /** Groups whose resource names kubectl resolves without the group suffix. */
  private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy",
      "rbac.authorization.k8s.io", "networking.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
      "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "admissionregistration.k8s.io",
      "certificates.k8s.io", "scheduling.k8s.io", "node.k8s.io", "apiregistration.k8s.io",
      "authorization.k8s.io", "authentication.k8s.io", "flowcontrol.apiserver.k8s.io");
  private static final Set<String> CLUSTER_SCOPED = Set.of("nodes", "namespaces", "persistentvolumes", "clusterroles",
      "clusterrolebindings", "customresourcedefinitions", "storageclasses", "priorityclasses", "apiservices",
      "mutatingwebhookconfigurations", "validatingwebhookconfigurations", "certificatesigningrequests",
      "ingressclasses", "runtimeclasses", "csidrivers", "csinodes", "volumeattachments", "tokenreviews",
      "subjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "componentstatuses");

  private Kubectl() {}

  /** The command for the call {@code event} belongs to (any event of the call carries its request). */
  static String render(JsonObject event) {
    JsonObject k8s = event.getJsonObject("k8s");
    String method = event.getString("method", "GET");
    String path = event.getString("path", "/");
    if (k8s == null) {
      return method + " " + path;
    }
    if (!Boolean.TRUE.equals(k8s.getBoolean("resourceRequest"))) {
      String verb = switch (method) {
        case "GET" -> "get";
        case "POST" -> "create";
        case "PUT" -> "replace";
        case "DELETE" -> "delete";
        default -> null;
      };
      return verb == null ? method + " " + path : "kubectl " + verb + " --raw " + quote(path);
    }
    Map<String, List<String>> query = parseQuery(event.getString("query"));
    List<String> args = new ArrayList<>(List.of("kubectl"));
    String verb = k8s.getString("verb", "get");
    String resource = resourceName(k8s);
    String sub = k8s.getString("subresource");
    String name = k8s.getString("name");
    if (name == null && verb.equals("create")) {
      name = bodyName(event);
    }
    String namespace = k8s.getString("namespace");
    if (sub != null) {
      Subresources.render(args, verb, resource, sub, name, query);
    } else {
      switch (verb) {
        case "list" -> args.addAll(List.of("get", resource));
        case "watch" -> add(args, "get", resource, name, "--watch");
        case "update" -> add(args, "replace", resource, name);
        case "patch" -> add(args, isApply(event) ? "apply" : "patch", resource, name, isApply(event) ? "--server-side" : null);
        case "deletecollection" -> add(args, "delete", resource, query.containsKey("labelSelector") ? null : "--all");
        default -> add(args, verb, resource, name);
      }
      selectors(args, query);
    }
    if (namespace != null && !namespace.isEmpty()) {
      args.addAll(List.of("-n", namespace));
    } else if ((verb.equals("list") || verb.equals("watch") || verb.equals("deletecollection"))
        && !CLUSTER_SCOPED.contains(k8s.getString("resource", ""))) {
      args.add("-A");
    }
    Subresources.trailing(args, sub, query);
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      sb.append(sb.length() == 0 ? "" : " ").append(quote(a));
    }
    return sb.toString();
  }

  private static void selectors(List<String> args, Map<String, List<String>> query) {
    first(query, "labelSelector").ifPresent(s -> args.addAll(List.of("-l", s)));
    first(query, "fieldSelector").ifPresent(s -> args.add("--field-selector=" + s));
  }

  private static boolean isApply(JsonObject event) {
    String ct = Documents.string(event, "body", "contentType");
    return ct != null && ct.startsWith("application/apply-patch");
  }

  private static String resourceName(JsonObject k8s) {
    String resource = k8s.getString("resource", "");
    String group = k8s.getString("apiGroup", "");
    return BUILT_IN_GROUPS.contains(group) ? resource : resource + "." + group;
  }

  /** {@code metadata.name} of a JSON request body, or null. */
  private static String bodyName(JsonObject event) {
    String content = Documents.string(event, "body", "content");
    if (content == null || !"TEXT".equals(Documents.string(event, "body", "encoding"))) {
      return null;
    }
    JsonObject body = Llm.parseObject(content);
    return body == null ? null : Documents.string(body, "metadata", "name");
  }

  static void add(List<String> args, String... parts) {
    for (String p : parts) {
      if (p != null) {
        args.add(p);
      }
    }
  }

  static java.util.Optional<String> first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v.get(0));
  }

  /** A raw query string ({@code a=1&b=2&b=3}) as name → values, percent-decoded. */
  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape: show it as recorded
    }
  }

  /** POSIX-shell quoting: safe words as they are, anything else in single quotes. */
  static String quote(String s) {
    if (!s.isEmpty() && SAFE.matcher(s).matches()) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

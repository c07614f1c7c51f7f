package dev.vigil.kubesim.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The environment kubelet would give a container: service links, envFrom, env (resolved). */
final class ContainerEnv {

  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ContainerEnv() {}

  static Map<String, String> resolve(ObjectStore store, ObjectNode pod, JsonNode container) {
    String ns = Json.textAt(pod, "metadata", "namespace");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", PATH);
    env.put("HOSTNAME", Json.textAt(pod, "metadata", "name"));
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      if (from.has("configMapRef")) {
        data(store, "configmaps", ns, from.path("configMapRef").path("name").asText(), false)
            .ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, v)));
      } else if (from.has("secretRef")) {
        data(store, "secrets", ns, from.path("secretRef").path("name").asText(), true)
            .ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, v)));
      }
    }
    for (JsonNode e : container.path("env")) {
      String value = value(store, pod, e);
      if (value != null) {
        env.put(e.path("name").asText(), value);
      }
    }
    if (pod.path("spec").path("enableServiceLinks").asBoolean(true)) {
      serviceLinks(store, ns, env);
    }
    env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.put("KUBERNETES_SERVICE_PORT", "443");
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", "443");
    env.put("KUBERNETES_PORT", "tcp://10.96.0.1:443");
    env.put("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443");
    env.put("KUBERNETES_PORT_443_TCP_PROTO", "tcp");
    env.put("KUBERNETES_PORT_443_TCP_PORT", "443");
    env.put("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1");
    env.put("HOME", "/root");
    return env;
  }

  private static String value(ObjectStore store, ObjectNode pod, JsonNode e) {
    if (e.has("value")) {
      return e.path("value").asText();
    }
    JsonNode from = e.path("valueFrom");
    String ns = Json.textAt(pod, "metadata", "namespace");
    if (from.has("configMapKeyRef")) {
      JsonNode ref = from.path("configMapKeyRef");
      return data(store, "configmaps", ns, ref.path("name").asText(), false)
          .map(d -> d.get(ref.path("key").asText())).orElse(null);
    }
    if (from.has("secretKeyRef")) {
      JsonNode ref = from.path("secretKeyRef");
      return data(store, "secrets", ns, ref.path("name").asText(), true)
          .map(d -> d.get(ref.path("key").asText())).orElse(null);
    }
    if (from.has("fieldRef")) {
      return field(pod, from.path("fieldRef").path("fieldPath").asText());
    }
    return e.has("valueFrom") ? null : "";
  }

  private static String field(ObjectNode pod, String path) {
    if (path.startsWith("metadata.labels['") || path.startsWith("metadata.annotations['")) {
      String map = path.startsWith("metadata.labels") ? "labels" : "annotations";
      String key = path.substring(path.indexOf("['") + 2, Math.max(path.indexOf("['") + 2, path.length() - 2));
      return Json.textAt(pod, "metadata", map, key);
    }
    return switch (path) {
      case "metadata.name" -> Json.textAt(pod, "metadata", "name");
      case "metadata.namespace" -> Json.textAt(pod, "metadata", "namespace");
      case "metadata.uid" -> Json.textAt(pod, "metadata", "uid");
      case "spec.nodeName" -> Json.textAt(pod, "spec", "nodeName");
      case "spec.serviceAccountName" -> Json.textAt(pod, "spec", "serviceAccountName");
      case "status.podIP" -> Json.textAt(pod, "status", "podIP");
      case "status.hostIP" -> Json.textAt(pod, "status", "hostIP");
      default -> null;
    };
  }

  /** The data of a config map or secret (secret values base64-decoded), if it exists. */
  static Optional<Map<String, String>> data(ObjectStore store, String resource, String ns, String name,
      boolean base64) {
    return store.get(store.registry().require(resource), ns, name).map(obj -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.path("data").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        out.put(d.getKey(), base64 ? decode(d.getValue().asText()) : d.getValue().asText());
      }
      return out;
    });
  }

  private static String decode(String b64) {
    try {
      return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return b64;
    }
  }

  private static void serviceLinks(ObjectStore store, String ns, Map<String, String> env) {
    for (ObjectNode svc : store.list("services", ns)) {
      String ip = Json.textAt(svc, "spec", "clusterIP");
      JsonNode port = svc.path("spec").path("ports").path(0);
      if (ip == null || ip.isEmpty() || ip.equals("None") || port.isMissingNode()) {
        continue;
      }
      String prefix = Json.textAt(svc, "metadata", "name").toUpperCase(Locale.ROOT).replace('-', '_');
      String proto = port.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      int p = port.path("port").asInt();
      env.put(prefix + "_SERVICE_HOST", ip);
      env.put(prefix + "_SERVICE_PORT", String.valueOf(p));
      env.put(prefix + "_PORT", proto + "://" + ip + ":" + p);
    }
  }
}

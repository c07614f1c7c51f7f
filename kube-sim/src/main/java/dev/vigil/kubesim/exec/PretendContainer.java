package dev.vigil.kubesim.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pretend process sees of its container: identity, environment, user, working directory
 * and the in-memory file tree. Built from the pod spec and the objects it references
 * ({@link #of}); nothing comes from the host.
 */
public record PretendContainer(String namespace, String pod, String container, String image,
    Map<String, String> env, PretendFs fs, String workingDir, long uid, long gid) {

  public PretendContainer {
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** A container with an empty file tree and the given environment (for tests). */
  public static PretendContainer simple(String namespace, String pod, String container, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("HOSTNAME", pod);
    all.putAll(env);
    return new PretendContainer(namespace, pod, container, "busybox", all, new PretendFs().dir("/tmp"), "/", 0, 0);
  }

  /**
   * The container {@code container} of {@code pod} as kubelet would start it: env and envFrom
   * resolved from the store (config maps, secrets, downward API), service link variables,
   * config map, secret and service account token volumes as files.
   */
  public static PretendContainer of(ObjectStore store, ObjectNode pod, String container) {
    JsonNode spec = pod.path("spec");
    JsonNode c = findContainer(spec, container);
    String ns = Json.textAt(pod, "metadata", "namespace");
    String name = Json.textAt(pod, "metadata", "name");
    String workingDir = c.path("workingDir").asText("");
    long uid = securityContext(spec, c, "runAsUser");
    long gid = securityContext(spec, c, "runAsGroup");
    return new PretendContainer(ns, name, container, c.path("image").asText(""),
        ContainerEnv.resolve(store, pod, c), ContainerFiles.build(store, pod, c),
        workingDir.isEmpty() ? "/" : PretendFs.normalize("/", workingDir), uid, gid);
  }

  static JsonNode findContainer(JsonNode spec, String container) {
    for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c.path("name").asText().equals(container)) {
          return c;
        }
      }
    }
    return Json.object().put("name", container);
  }

  private static long securityContext(JsonNode podSpec, JsonNode c, String field) {
    JsonNode v = c.path("securityContext").get(field);
    if (v == null || !v.canConvertToLong()) {
      v = podSpec.path("securityContext").get(field);
    }
    return v != null && v.canConvertToLong() ? v.asLong() : 0;
  }

  /** The user name ({@code root} for uid 0), or null when /etc/passwd has no entry. */
  public String userName() {
    return uid == 0 ? "root" : null;
  }
}

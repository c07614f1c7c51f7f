package dev.vigil.kubesim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log lines served by {@code pods/{name}/log}. Unless set explicitly, a pod container has a few
 * deterministic synthetic lines; {@code follow=true} then appends {@link #followLine} periodically.
 */
public final class PodLogs {

  private final Map<String, List<String>> lines = new ConcurrentHashMap<>();

  /** Replaces the log of one container. */
  public PodLogs set(String namespace, String pod, String container, List<String> logLines) {
    lines.put(key(namespace, pod, container), List.copyOf(logLines));
    return this;
  }

  /** Appends lines to the log of one container. */
  public PodLogs append(String namespace, String pod, String container, List<String> more) {
    lines.compute(key(namespace, pod, container), (k, old) -> {
      List<String> all = new ArrayList<>(old == null ? defaults(namespace, pod, container) : old);
      all.addAll(more);
      return List.copyOf(all);
    });
    return this;
  }

  /** The current log of one container. */
  public List<String> get(String namespace, String pod, String container) {
    return lines.getOrDefault(key(namespace, pod, container), defaults(namespace, pod, container));
  }

  /** The n-th line emitted while following (n starts at 1). */
  public String followLine(String namespace, String pod, String container, long n) {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS) + " INFO [" + container + "] " + pod
        + " heartbeat " + n + " ok";
  }

  private static List<String> defaults(String namespace, String pod, String container) {
    String t = "2025-01-01T00:00:0";
    return List.of(
        t + "0.000Z INFO [" + container + "] starting " + pod + " in namespace " + namespace,
        t + "1.000Z INFO [" + container + "] loaded configuration",
        t + "2.000Z INFO [" + container + "] listening on :8080",
        t + "3.000Z INFO [" + container + "] ready");
  }

  private static String key(String namespace, String pod, String container) {
    return namespace + "/" + pod + "/" + container;
  }
}

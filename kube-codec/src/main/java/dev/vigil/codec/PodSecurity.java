package dev.vigil.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pod settings that give a container the node's privileges, found in the content a write sets ({@link WriteContent}):
 * {@code privileged: true}, a {@code hostPath} volume, {@code hostNetwork}/{@code hostPID}/{@code hostIPC: true}.
 * They are looked for anywhere outside {@code metadata} ({@link KubeTrees}), so a pod, a workload's pod template, a
 * CronJob's job template or an ephemeral container are all covered without knowing the kind's layout.
 */
public final class PodSecurity {

  /** A setting that escapes the container, with its field name in the pod spec. */
  public enum Setting {
    /** {@code securityContext.privileged: true} of a container (also init and ephemeral containers). */
    PRIVILEGED("privileged", false),
    /** A {@code hostPath} volume (any non-null value). */
    HOST_PATH("hostPath", true),
    /** {@code hostNetwork: true}. */
    HOST_NETWORK("hostNetwork", false),
    /** {@code hostPID: true}. */
    HOST_PID("hostPID", false),
    /** {@code hostIPC: true}. */
    HOST_IPC("hostIPC", false);

    private final String field;
    private final boolean anyValue;

    Setting(String field, boolean anyValue) {
      this.field = field;
      this.anyValue = anyValue;
    }

    /** The field's name in the pod spec, e.g. {@code hostPath}. */
    public String field() {
      return field;
    }

    /** Whether {@code content} sets it: the field true (a boolean), or for {@code hostPath} set to anything. */
    public boolean isSetIn(JsonNode content) {
      return anyValue ? KubeTrees.anySet(content, field) : KubeTrees.anyTrue(content, field);
    }
  }

  /** Resources (any API group) whose bodies carry a pod spec: pods and the workloads with a pod template. */
  public static final Set<String> POD_CARRIERS = Set.of("pods", "deployments", "statefulsets", "daemonsets",
      "replicasets", "jobs", "cronjobs", "replicationcontrollers", "podtemplates");

  private PodSecurity() {}

  /**
   * Whether a write to {@code resource}/{@code subresource} sets a pod spec: one of {@link #POD_CARRIERS}, itself (no
   * subresource, null) or {@code pods/ephemeralcontainers}; other subresources ({@code status}, {@code scale}) do not.
   */
  public static boolean carriesPodSpec(String resource, String subresource) {
    return resource != null && POD_CARRIERS.contains(resource)
        && (subresource == null || "ephemeralcontainers".equals(subresource));
  }

  /** The settings {@code content} sets, in {@link Setting} order; empty for null. */
  public static List<Setting> settings(JsonNode content) {
    List<Setting> out = new ArrayList<>();
    for (Setting s : Setting.values()) {
      if (s.isSetIn(content)) {
        out.add(s);
      }
    }
    return out;
  }
}

package dev.vigil.streams.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;

/** Null-safe views of a {@link VigilEvent} the detectors share. */
final class Events {

  static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch");

  private Events() {}

  /** The payload when it is a {@link RequestReceived}, else null. */
  static RequestReceived request(VigilEvent e) {
    return e.getPayload() instanceof RequestReceived r ? r : null;
  }

  /** The Kubernetes request attributes of a KUBERNETES-channel resource request, else null. */
  static KubernetesRequestInfo kube(VigilEvent e) {
    if (e.getChannel() != Channel.KUBERNETES || e.getRequest() == null) {
      return null;
    }
    KubernetesRequestInfo k = e.getRequest().getKubernetes();
    return k != null && k.getResourceRequest() ? k : null;
  }

  /** The RequestReceived of a KUBERNETES-channel resource request, else null. */
  static RequestReceived kubeRequest(VigilEvent e) {
    return kube(e) == null ? null : request(e);
  }

  static boolean isLlm(VigilEvent e) {
    return e.getChannel() == Channel.LLM;
  }

  /** Whether the gateway let the call through: anything but an explicit DENY (UNKNOWN is never written). */
  static boolean allowed(RequestReceived r) {
    return r.getDecision() == null || r.getDecision().getEffect() != Effect.DENY;
  }

  static boolean denied(RequestReceived r) {
    return !allowed(r);
  }

  /** The findings of whatever the event carries (request, response or frame); empty for upstream errors. */
  static List<Finding> findings(VigilEvent e) {
    Object p = e.getPayload();
    List<Finding> f;
    if (p instanceof RequestReceived r) {
      f = r.getFindings();
    } else if (p instanceof ResponseCompleted c) {
      f = c.getFindings();
    } else if (p instanceof StreamFrame s) {
      f = s.getFindings();
    } else {
      f = null;
    }
    return f == null ? List.of() : f;
  }

  /** Whether the identity is an authenticated caller (anonymous calls have no identity to follow across sessions). */
  static boolean authenticated(VigilEvent e) {
    return e.getIdentity() != null && e.getIdentity().getAuthenticated() && e.getIdentity().getUsername() != null
        && !e.getIdentity().getUsername().isEmpty();
  }

  static boolean in(String value, Set<String> set) {
    return value != null && set.contains(value);
  }

  /** {@code resource} or {@code resource/subresource}. */
  static String resourcePath(KubernetesRequestInfo k) {
    String r = k.getResource() == null ? "" : k.getResource();
    return k.getSubresource() == null || k.getSubresource().isEmpty() ? r : r + "/" + k.getSubresource();
  }

  /** {@code namespace/name}, {@code name}, {@code namespace/*} or {@code *}, for descriptions. */
  static String objectRef(KubernetesRequestInfo k) {
    String ns = k.getNamespace();
    String name = k.getName() == null || k.getName().isEmpty() ? "*" : k.getName();
    return ns == null || ns.isEmpty() ? name : ns + "/" + name;
  }

  /** "in namespace X" or "cluster-wide". */
  static String where(KubernetesRequestInfo k) {
    return k.getNamespace() == null || k.getNamespace().isEmpty() ? "cluster-wide"
        : "in namespace " + k.getNamespace();
  }

  /** The request's attributes for an alert: channel, method, path, and for Kubernetes verb, resource, namespace... */
  static Map<String, String> attributes(VigilEvent e) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("channel", String.valueOf(e.getChannel()));
    if (e.getRequest() != null) {
      putIf(a, "method", e.getRequest().getMethod());
      putIf(a, "path", e.getRequest().getPath());
      KubernetesRequestInfo k = e.getRequest().getKubernetes();
      if (k != null) {
        putIf(a, "verb", k.getVerb());
        putIf(a, "apiGroup", k.getApiGroup());
        putIf(a, "resource", k.getResource());
        putIf(a, "subresource", k.getSubresource());
        putIf(a, "namespace", k.getNamespace());
        putIf(a, "name", k.getName());
      }
    }
    RequestReceived r = request(e);
    if (r != null && r.getDecision() != null) {
      a.put("decision", String.valueOf(r.getDecision().getEffect()));
      putIf(a, "policyRule", r.getDecision().getRuleId());
    }
    return a;
  }

  static void putIf(Map<String, String> m, String k, String v) {
    if (v != null && !v.isEmpty()) {
      m.put(k, v);
    }
  }
}

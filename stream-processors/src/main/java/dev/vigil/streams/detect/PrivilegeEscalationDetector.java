package dev.vigil.streams.detect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import dev.vigil.codec.KubeTrees;
import dev.vigil.codec.PodSecurity;
import dev.vigil.schema.Alert;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.detect.DetectorSettings.PrivilegeEscalation;

/**
 * privilege-escalation: a Kubernetes RequestReceived that widens what someone can do. Rules (attribute {@code rule},
 * the first that matched; {@code rules} lists all):
 * <ul>
 *   <li>{@code privileged-binding}: create/update/patch of rolebindings/clusterrolebindings whose {@code roleRef.name}
 *       is in {@code privileged-roles} (cluster-admin, admin, edit);</li>
 *   <li>{@code wildcard-role}: create/update/patch of roles/clusterroles with a rule whose verbs or resources contain
 *       {@code *}, or whose verbs contain one of the escalation {@code verbs} (granting escalate/bind/impersonate);</li>
 *   <li>{@code privileged-pod}: create/update/patch of a pod or workload (or pods/ephemeralcontainers) setting
 *       {@code privileged: true}, a {@code hostPath} volume, or {@code hostNetwork}/{@code hostPID}/{@code hostIPC:
 *       true} outside metadata;</li>
 *   <li>{@code token-request}: create of {@code serviceaccounts/token} (minting a service account's token);</li>
 *   <li>{@code escalation-verb}: the request's verb is one of {@code verbs} (escalate, bind, impersonate).</li>
 * </ul>
 * The body rules read the recorded request body (masked, structure intact; a JSON patch is materialised). A write
 * recorded without a body ({@code record: metadata}), truncated or not JSON cannot be checked and is not alerted on.
 * Severity HIGH when the gateway allowed the call, MEDIUM when it denied it (attribute {@code decision}).
 */
final class PrivilegeEscalationDetector {

  static final String TYPE = DetectorSettings.PRIVILEGE_ESCALATION;

  private static final Set<String> BINDINGS = Set.of("rolebindings", "clusterrolebindings");
  private static final Set<String> ROLES = Set.of("roles", "clusterroles");

  private PrivilegeEscalationDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, PrivilegeEscalation settings) {
    return events.flatMapValues(e -> detect(e, settings), Named.as("detect-" + TYPE));
  }

  static List<Alert> detect(VigilEvent e, PrivilegeEscalation settings) {
    RequestReceived r = Events.kubeRequest(e);
    if (r == null) {
      return List.of();
    }
    KubernetesRequestInfo k = Events.kube(e);
    List<String> rules = new ArrayList<>();
    List<String> findings = new ArrayList<>();
    Map<String, String> a = Events.attributes(e);
    String resource = k.getResource() == null ? "" : k.getResource();
    String sub = k.getSubresource() == null || k.getSubresource().isEmpty() ? null : k.getSubresource();
    boolean write = Events.WRITE_VERBS.contains(k.getVerb());

    if (write && sub == null && BINDINGS.contains(resource)) {
      JsonNode body = BodyJson.content(r.getBody());
      String role = body == null ? null : body.path("roleRef").path("name").asText(null);
      if (role != null && settings.privilegedRoles().contains(role)) {
        rules.add("privileged-binding");
        String kind = body.path("roleRef").path("kind").asText("ClusterRole");
        a.put("roleRef", kind + "/" + role);
        Events.putIf(a, "subjects", subjects(body.path("subjects")));
        findings.add("binds " + kind + " " + role + (a.containsKey("subjects") ? " to " + a.get("subjects") : ""));
      }
    }
    if (write && sub == null && ROLES.contains(resource)) {
      JsonNode body = BodyJson.content(r.getBody());
      Set<String> granted = body == null ? Set.of() : dangerousGrants(body.get("rules"), settings.verbs());
      if (!granted.isEmpty()) {
        rules.add("wildcard-role");
        a.put("grants", String.join(",", granted));
        findings.add("grants " + String.join(", ", granted));
      }
    }
    if (write && PodSecurity.carriesPodSpec(resource, sub)) {
      JsonNode body = BodyJson.content(r.getBody());
      List<String> settingsFound = body == null ? List.of() : podPrivileges(body);
      if (!settingsFound.isEmpty()) {
        rules.add("privileged-pod");
        a.put("podSettings", String.join(",", settingsFound));
        findings.add("sets " + String.join(", ", settingsFound));
      }
    }
    if ("create".equals(k.getVerb()) && "serviceaccounts".equals(resource) && "token".equals(sub)) {
      rules.add("token-request");
      findings.add("requests a token for service account " + Events.objectRef(k));
    }
    if (settings.verbs().contains(k.getVerb())) {
      rules.add("escalation-verb");
      findings.add("uses verb " + k.getVerb());
    }
    if (rules.isEmpty()) {
      return List.of();
    }
    boolean allowed = Events.allowed(r);
    a.put("rule", rules.get(0));
    a.put("rules", String.join(",", rules));
    String description = Alerts.who(e) + " " + k.getVerb() + " " + Events.resourcePath(k) + " "
        + Events.objectRef(k) + ": " + String.join("; ", findings) + " ("
        + (allowed ? "allowed" : "denied") + " by the gateway"
        + (r.getDecision() != null && r.getDecision().getRuleId() != null
            ? ", policy rule " + r.getDecision().getRuleId() : "") + ")";
    return List.of(Alerts.alert(Alerts.id(TYPE, e.getEventId()), TYPE, allowed ? Severity.HIGH : Severity.MEDIUM,
        e, e.getTime().toEpochMilli(), List.of(e.getEventId()), description, a));
  }

  /** {@code "ServiceAccount team-a/agent, User bob"}; null when none. */
  private static String subjects(JsonNode subjects) {
    if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : subjects) {
      String ns = s.path("namespace").asText("");
      out.add(s.path("kind").asText("?") + " " + (ns.isEmpty() ? "" : ns + "/") + s.path("name").asText("?"));
    }
    return String.join(", ", out);
  }

  /** What a role's rules grant that is dangerous: {@code verbs=*}, {@code resources=*}, {@code verbs=escalate}... */
  private static Set<String> dangerousGrants(JsonNode rules, Set<String> escalationVerbs) {
    Set<String> out = new LinkedHashSet<>();
    if (rules == null || !rules.isArray()) {
      return out;
    }
    for (JsonNode rule : rules) {
      for (String v : KubeTrees.strings(rule.get("verbs"))) {
        if ("*".equals(v) || escalationVerbs.contains(v)) {
          out.add("verbs=" + v);
        }
      }
      if (KubeTrees.strings(rule.get("resources")).contains("*")) {
        out.add("resources=*");
      }
    }
    return out;
  }

  private static List<String> podPrivileges(JsonNode body) {
    return PodSecurity.settings(body).stream().map(PodSecurity.Setting::field).toList();
  }
}

package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.kube;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

class PrivilegeEscalationDetectorTest {

  private static final DetectorSettings ONLY = DetectorSettings.defaults().only(DetectorSettings.PRIVILEGE_ESCALATION);

  private static final String ADMIN_BINDING = """
      {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"agent-admin"},
       "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},
       "subjects":[{"kind":"ServiceAccount","name":"agent","namespace":"team-a"}]}""";

  private static final String VIEW_BINDING = """
      {"kind":"RoleBinding","metadata":{"name":"v","namespace":"team-a"},
       "roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"bob"}]}""";

  private static VigilEvent binding(String body) {
    return kube("alice").session("s1").group("rbac.authorization.k8s.io").call("create", "clusterrolebindings")
        .body(body).request();
  }

  private static List<Alert> run(DetectorSettings s, VigilEvent... es) {
    try (DetectorHarness h = new DetectorHarness(s)) {
      return h.pipe(es).alerts();
    }
  }

  @Test
  void shouldAlertHighOnAnAllowedClusterAdminBinding() {
    VigilEvent e = binding(ADMIN_BINDING);
    assertThat(run(ONLY, e)).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("privilege-escalation");
      assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
      assertThat(a.getEvidenceEventIds()).containsExactly(e.getEventId());
      assertThat(a.getAttributes()).containsEntry("rule", "privileged-binding")
          .containsEntry("roleRef", "ClusterRole/cluster-admin")
          .containsEntry("subjects", "ServiceAccount team-a/agent").containsEntry("decision", "ALLOW")
          .containsEntry("verb", "create").containsEntry("resource", "clusterrolebindings");
      assertThat(a.getDescription()).contains("alice").contains("binds ClusterRole cluster-admin")
          .contains("ServiceAccount team-a/agent").contains("allowed");
    });
  }

  @Test
  void shouldAlertMediumWhenTheGatewayDeniedIt() {
    VigilEvent e = kube("alice").group("rbac.authorization.k8s.io").call("create", "clusterrolebindings")
        .body(ADMIN_BINDING).deny("guardrail:no-admin-bindings").request();
    assertThat(run(ONLY, e)).singleElement().satisfies(a -> {
      assertThat(a.getSeverity()).isEqualTo(Severity.MEDIUM);
      assertThat(a.getAttributes()).containsEntry("decision", "DENY")
          .containsEntry("policyRule", "guardrail:no-admin-bindings");
      assertThat(a.getDescription()).contains("denied");
    });
  }

  @Test
  void shouldIgnoreHarmlessBindingsReadsAndUninspectableBodies() {
    assertThat(run(ONLY,
        binding(VIEW_BINDING),
        kube("alice").call("get", "clusterrolebindings").name("agent-admin").body(ADMIN_BINDING).response(),
        binding(null),
        binding(ADMIN_BINDING.substring(0, 60)),
        kube("alice").call("create", "pods").ns("team-a").body("""
            {"kind":"Pod","metadata":{"name":"p","annotations":{"note":"privileged: true"}},
             "spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":false}}]}}""")
            .request()))
        .isEmpty();
  }

  @Test
  void shouldHonourTheConfiguredPrivilegedRoles() {
    String adminBinding = ADMIN_BINDING.replace("cluster-admin", "admin");
    assertThat(run(ONLY, binding(adminBinding))).hasSize(1);
    assertThat(run(ONLY.with("privilege-escalation.privileged-roles", "cluster-admin"), binding(adminBinding)))
        .isEmpty();
  }

  @Test
  void shouldAlertOnRolesGrantingWildcardsOrEscalationVerbs() {
    VigilEvent wildcard = kube("alice").group("rbac.authorization.k8s.io").call("create", "roles").ns("team-a")
        .body("""
            {"kind":"Role","metadata":{"name":"all"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]},
             {"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}""").request();
    VigilEvent escalate = kube("alice").group("rbac.authorization.k8s.io").call("patch", "clusterroles").name("x")
        .body("""
            [{"op":"add","path":"/rules/-","value":{"apiGroups":["rbac.authorization.k8s.io"],
              "resources":["clusterroles"],"verbs":["escalate"]}}]""").request();
    VigilEvent harmless = kube("alice").group("rbac.authorization.k8s.io").call("create", "roles").ns("team-a")
        .body("{\"kind\":\"Role\",\"rules\":[{\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\"]}]}").request();
    List<Alert> alerts = run(ONLY, wildcard, escalate, harmless);
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getAttributes()).containsEntry("rule", "wildcard-role")
        .containsEntry("grants", "verbs=*,resources=*");
    assertThat(alerts.get(1).getAttributes()).containsEntry("grants", "verbs=escalate");
  }

  @Test
  void shouldAlertOnPrivilegedPodsAndWorkloads() {
    VigilEvent pod = kube("alice").call("create", "pods").ns("team-a").body("""
        {"kind":"Pod","metadata":{"name":"p"},"spec":{"hostPID":true,"containers":[{"name":"c","image":"busybox",
         "securityContext":{"privileged":true}}],"volumes":[{"name":"root","hostPath":{"path":"/"}}]}}""").request();
    VigilEvent patch = kube("alice").group("apps").call("patch", "deployments").ns("team-a").name("web").body("""
        [{"op":"replace","path":"/spec/template/spec/hostNetwork","value":true}]""").request();
    VigilEvent plain = kube("alice").group("apps").call("create", "deployments").ns("team-a").body("""
        {"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""")
        .request();
    List<Alert> alerts = run(ONLY, pod, patch, plain);
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getAttributes()).containsEntry("rule", "privileged-pod")
        .containsEntry("podSettings", "privileged,hostPath,hostPID");
    assertThat(alerts.get(1).getAttributes()).containsEntry("podSettings", "hostNetwork")
        .containsEntry("resource", "deployments");
  }

  @Test
  void shouldAlertOnTokenRequestsAndEscalationVerbs() {
    VigilEvent token = kube("alice").call("create", "serviceaccounts/token").ns("kube-system").name("admin")
        .body("{\"kind\":\"TokenRequest\",\"spec\":{\"expirationSeconds\":3600}}").request();
    VigilEvent impersonate = kube("alice").call("impersonate", "users").name("admin").request();
    VigilEvent getSa = kube("alice").call("get", "serviceaccounts").ns("kube-system").name("admin").request();
    List<Alert> alerts = run(ONLY, token, impersonate, getSa);
    assertThat(alerts).extracting(a -> a.getAttributes().get("rule"))
        .containsExactly("token-request", "escalation-verb");
    assertThat(alerts.get(0).getDescription()).contains("token for service account kube-system/admin");
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    assertThat(run(ONLY.with("privilege-escalation.enabled", "false"), binding(ADMIN_BINDING))).isEmpty();
  }
}

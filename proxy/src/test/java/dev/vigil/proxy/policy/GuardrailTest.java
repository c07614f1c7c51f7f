package dev.vigil.proxy.policy;

import static dev.vigil.proxy.policy.Requests.policy;
import static dev.vigil.proxy.policy.Requests.req;
import static dev.vigil.proxy.policy.Requests.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class GuardrailTest {

  private static final Policy POLICY = policy("""
      defaultEffect: allow
      guardrails:
        secrets-only-in-allowed-namespaces: {namespaces: [team-a, team-b]}
      """);

  private static final String PRIVILEGED_POD = """
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
       "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": true}}]}}""";
  private static final String PLAIN_POD = """
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"hostNetwork": "true"}},
       "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": false}}],
                "volumes": [{"name": "v", "emptyDir": {}}]}}""";

  private static Arguments c(String name, PolicyRequest.Builder request, String deniedBy) {
    return Arguments.of(name, request, deniedBy);
  }

  static Stream<Arguments> cases() {
    String exec = "guardrail:no-exec-kube-system";
    String critical = "guardrail:no-delete-critical";
    String collection = "guardrail:no-deletecollection";
    String admin = "guardrail:no-admin-bindings";
    String secrets = "guardrail:secrets-only-in-allowed-namespaces";
    String privileged = "guardrail:no-privileged-pods";
    String prompt = "guardrail:no-secret-in-llm-prompt";
    return Stream.of(
        c("exec get in kube-system", req("get", "pods", "kube-system").name("x").subresource("exec"), exec),
        c("exec create in kube-system", req("create", "pods", "kube-system").name("x").subresource("exec"), exec),
        c("attach in kube-system", req("get", "pods", "kube-system").name("x").subresource("attach"), exec),
        c("portforward in kube-system", req("create", "pods", "kube-system").name("x").subresource("portforward"), exec),
        c("exec elsewhere", req("get", "pods", "team-a").name("x").subresource("exec"), null),
        c("log in kube-system", req("get", "pods", "kube-system").name("x").subresource("log"), null),
        c("delete namespace", req("delete", "namespaces", "team-a").name("team-a"), critical),
        c("delete node", req("delete", "nodes", null).name("n1"), critical),
        c("delete crd", req("delete", "customresourcedefinitions", null).apiGroup("apiextensions.k8s.io").name("x"),
            critical),
        c("get namespace", req("get", "namespaces", "team-a").name("team-a"), null),
        c("finalize namespace", req("update", "namespaces", "team-a").name("team-a").subresource("finalize")
            .body(tree("{}")), null),
        c("delete pod", req("delete", "pods", "team-a").name("p"), null),
        c("deletecollection pods", req("deletecollection", "pods", "team-a"), collection),
        c("deletecollection nodes", req("deletecollection", "nodes", null), critical),
        c("binding to cluster-admin", req("create", "clusterrolebindings", null).apiGroup("rbac.authorization.k8s.io")
            .body(tree("{roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin},"
                + " subjects: [{kind: User, name: mallory}]}")), admin),
        c("rolebinding to cluster-admin", req("update", "rolebindings", "team-a").name("b")
            .body(tree("{roleRef: {kind: ClusterRole, name: cluster-admin}}")), admin),
        c("binding to view", req("create", "rolebindings", "team-a")
            .body(tree("{roleRef: {kind: ClusterRole, name: view}}")), null),
        c("merge patch to cluster-admin", req("patch", "rolebindings", "team-a").name("b")
            .body(tree("{roleRef: {name: cluster-admin}}")), admin),
        c("json patch to cluster-admin", req("patch", "rolebindings", "team-a").name("b")
            .body(tree("[{op: replace, path: /roleRef/name, value: cluster-admin}]")), admin),
        c("json patch of subjects", req("patch", "rolebindings", "team-a").name("b")
            .body(tree("[{op: add, path: /subjects/-, value: {kind: User, name: x}}]")), null),
        c("json patch with move", req("patch", "rolebindings", "team-a").name("b")
            .body(tree("[{op: move, from: /a, path: /roleRef}]")), admin),
        c("binding without body", req("create", "clusterrolebindings", null), admin),
        c("delete binding", req("delete", "clusterrolebindings", null).name("b"), null),
        c("role with * verbs", req("create", "clusterroles", null)
            .body(tree("{rules: [{apiGroups: [''], resources: [pods], verbs: ['*']}]}")), admin),
        c("role with * resources", req("create", "roles", "team-a")
            .body(tree("{rules: [{apiGroups: [''], resources: ['*'], verbs: [get]}]}")), admin),
        c("role reading pods", req("create", "roles", "team-a")
            .body(tree("{rules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}]}")), null),
        c("json patch adding * verb", req("patch", "clusterroles", null).name("r")
            .body(tree("[{op: add, path: /rules/0/verbs/-, value: '*'}]")), admin),
        c("json patch adding a * rule", req("patch", "roles", "team-a").name("r")
            .body(tree("[{op: add, path: /rules/-, value: {resources: [pods], verbs: ['*']}}]")), admin),
        c("json patch adding get", req("patch", "roles", "team-a").name("r")
            .body(tree("[{op: add, path: /rules/0/verbs/-, value: get}]")), null),
        c("strategic patch with * verbs", req("patch", "clusterroles", null).name("r")
            .body(tree("{rules: [{verbs: ['*'], resources: [secrets], apiGroups: ['']}]}")), admin),
        c("get secret in allowed ns", req("get", "secrets", "team-a").name("s"), null),
        c("list secrets in allowed ns", req("list", "secrets", "team-b"), null),
        c("get secret elsewhere", req("get", "secrets", "kube-system").name("s"), secrets),
        c("watch secrets elsewhere", req("watch", "secrets", "default"), secrets),
        c("list secrets everywhere", req("list", "secrets", null), secrets),
        c("create secret elsewhere", req("create", "secrets", "default").body(tree("{}")), null),
        c("privileged pod", req("create", "pods", "team-a").body(tree(PRIVILEGED_POD)), privileged),
        c("plain pod", req("create", "pods", "team-a").body(tree(PLAIN_POD)), null),
        c("pod without body", req("create", "pods", "team-a"), privileged),
        c("hostPath pod", req("update", "pods", "team-a").name("p")
            .body(tree("{spec: {volumes: [{name: v, hostPath: {path: /}}]}}")), privileged),
        c("hostNetwork pod", req("create", "pods", "team-a").body(tree("{spec: {hostNetwork: true}}")), privileged),
        c("hostNetwork false", req("create", "pods", "team-a").body(tree("{spec: {hostNetwork: false}}")), null),
        c("hostPID deployment", req("create", "deployments", "team-a").apiGroup("apps")
            .body(tree("{spec: {template: {spec: {hostPID: true}}}}")), privileged),
        c("hostIPC cronjob", req("create", "cronjobs", "team-a").apiGroup("batch")
            .body(tree("{spec: {jobTemplate: {spec: {template: {spec: {hostIPC: true}}}}}}")), privileged),
        c("privileged daemonset merge patch", req("patch", "daemonsets", "team-a").apiGroup("apps").name("d")
            .body(tree("{spec: {template: {spec: {containers: [{name: c, securityContext: {privileged: true}}]}}}}")),
            privileged),
        c("privileged statefulset json patch", req("patch", "statefulsets", "team-a").apiGroup("apps").name("s")
            .body(tree("[{op: replace, path: /spec/template/spec/containers/0/securityContext/privileged,"
                + " value: true}]")), privileged),
        c("hostPath job json patch", req("patch", "jobs", "team-a").apiGroup("batch").name("j")
            .body(tree("[{op: add, path: /spec/template/spec/volumes/-, value: {name: h, hostPath: {path: /etc}}}]")),
            privileged),
        c("replicaset image json patch", req("patch", "replicasets", "team-a").apiGroup("apps").name("r")
            .body(tree("[{op: replace, path: /spec/template/spec/containers/0/image, value: nginx}]")), null),
        c("ephemeral privileged container", req("patch", "pods", "team-a").name("p").subresource("ephemeralcontainers")
            .body(tree("{spec: {ephemeralContainers: [{name: e, securityContext: {privileged: true}}]}}")), privileged),
        c("pod status update", req("update", "pods", "team-a").name("p").subresource("status"), null),
        c("scale deployment", req("patch", "deployments", "team-a").apiGroup("apps").name("d").subresource("scale")
            .body(tree("{spec: {replicas: 3}}")), null),
        c("privileged label only", req("patch", "pods", "team-a").name("p")
            .body(tree("{metadata: {labels: {privileged: 'true'}}}")), null),
        c("llm prompt with a secret read", llm().promptSecrets(List.of("0123456789abcdef0123456789abcdef")), prompt),
        c("llm prompt not checked whole", llm().promptUnscanned(true), prompt),
        c("llm prompt without secrets", llm(), null),
        c("kubernetes call never checked for prompts", req("create", "configmaps", "team-a").body(tree("{}"))
            .promptSecrets(List.of("0123456789abcdef0123456789abcdef")), null),
        c("llm call not denied by kubernetes guardrails", llm().verb("deletecollection"), null));
  }

  private static PolicyRequest.Builder llm() {
    return Requests.llm("claude-sonnet-4");
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("cases")
  void shouldApplyEachGuardrail(String name, PolicyRequest.Builder request, String deniedBy) {
    PolicyResult result = POLICY.evaluate(request.build());

    if (deniedBy == null) {
      assertThat(result.effect()).as(result.toString()).isEqualTo(PolicyEffect.ALLOW);
      assertThat(result.ruleId()).isEqualTo("default");
    } else {
      assertThat(result.effect()).isEqualTo(PolicyEffect.DENY);
      assertThat(result.ruleId()).isEqualTo(deniedBy);
      assertThat(result.reason()).isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(Guardrail.class)
  void shouldSwitchEachGuardrailOff(Guardrail guardrail) {
    Policy off = policy("defaultEffect: allow\nguardrails:\n  " + guardrail.id() + ": false\n");
    Policy offByMap = policy("defaultEffect: allow\nguardrails:\n  " + guardrail.id() + ": {enabled: false}\n");

    assertThat(off.guardrails()).doesNotContain(guardrail).hasSize(Guardrail.values().length - 1);
    assertThat(offByMap.guardrails()).doesNotContain(guardrail);
    cases().map(Arguments::get)
        .filter(a -> guardrail.ruleId().equals(a[2]))
        .forEach(a -> assertThat(off.evaluate(((PolicyRequest.Builder) a[1]).build()).ruleId())
            .as(Arrays.toString(a)).isNotEqualTo(guardrail.ruleId()));
  }

  @Test
  void shouldNameTheFindingButNeverAValueWhenASecretIsInAPrompt() {
    PolicyResult one = POLICY.evaluate(llm().promptSecrets(List.of("0123456789abcdef0123456789abcdef")).build());
    PolicyResult two = POLICY.evaluate(llm().promptSecrets(List.of("0123456789abcdef0123456789abcdef",
        "fedcba9876543210fedcba9876543210")).build());

    assertThat(one.reason()).isEqualTo("the request contains the value of a Kubernetes Secret this session read "
        + "(finding k8s-secret at llm.prompt, fingerprint 0123456789abcdef0123456789abcdef)");
    assertThat(two.reason()).endsWith("fingerprint 0123456789abcdef0123456789abcdef, and 1 more)");
    assertThat(Guardrail.NO_SECRET_IN_LLM_PROMPT.llm()).isTrue();
  }

  @Test
  void shouldDenyAllSecretReadsWithoutAllowedNamespaces() {
    Policy p = policy("defaultEffect: allow");

    assertThat(p.evaluate(req("get", "secrets", "team-a").name("s").build()).ruleId())
        .isEqualTo("guardrail:secrets-only-in-allowed-namespaces");
  }
}

package dev.vigil.proxy.policy;

import static dev.vigil.proxy.policy.Requests.base;
import static dev.vigil.proxy.policy.Requests.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;

class PolicyEvaluationTest {

  private static final String NO_GUARDRAILS = """
      guardrails:
        no-exec-kube-system: false
        no-delete-critical: false
        no-deletecollection: false
        no-admin-bindings: false
        secrets-only-in-allowed-namespaces: false
        no-privileged-pods: false
      """;

  private static Arguments c(String match, UnaryOperator<PolicyRequest.Builder> request, boolean matches) {
    return Arguments.of(match, request, matches);
  }

  static Stream<Arguments> dimensions() {
    UnaryOperator<PolicyRequest.Builder> same = b -> b;
    return Stream.of(
        c("subjects: [sub-1]", same, true),
        c("subjects: [sub-2]", same, false),
        c("subjects: ['*']", b -> b.subject(null), true),
        c("usernames: [alice, bob]", same, true),
        c("usernames: [bob]", same, false),
        c("groups: [ops, devs]", same, true),
        c("groups: [ops]", same, false),
        c("groups: [devs]", b -> b.groups(List.of()), false),
        c("groups: ['*']", b -> b.groups(List.of()), true),
        c("issuers: ['https://idp']", same, true),
        c("issuers: ['https://other']", same, false),
        c("channels: [KUBERNETES]", same, true),
        c("channels: [llm]", same, false),
        c("channels: [LLM]", b -> b.channel(Channel.LLM), true),
        c("verbs: [get, list]", same, true),
        c("verbs: [list]", same, false),
        c("verbs: ['*']", b -> b.verb("deletecollection"), true),
        c("apiGroups: [apps]", same, true),
        c("apiGroups: ['']", same, false),
        c("apiGroups: ['']", b -> b.apiGroup("").resource("pods"), true),
        c("resources: [deployments]", same, true),
        c("resources: [pods]", same, false),
        c("resources: ['*']", same, true),
        c("resources: [deployments]", b -> b.subresource("scale"), false),
        c("{resources: [deployments], subresources: [scale]}", b -> b.subresource("scale"), true),
        c("{resources: [deployments], subresources: [scale]}", same, false),
        c("{resources: [deployments], subresources: ['', scale]}", same, true),
        c("{resources: [deployments], subresources: ['*']}", b -> b.subresource("status"), true),
        c("{resources: [deployments], subresources: [status]}", b -> b.subresource("scale"), false),
        c("namespaces: [team-a, team-b]", same, true),
        c("namespaces: [team-b]", same, false),
        c("namespaces: ['']", b -> b.namespace(null), true),
        c("namespaces: [team-a]", b -> b.namespace(null), false),
        c("namespaces: ['*']", b -> b.namespace(null), true),
        c("namespaceLabels: {env: prod}", same, true),
        c("namespaceLabels: {env: dev}", same, false),
        c("namespaceLabels: {env: '*'}", same, true),
        c("namespaceLabels: {tier: '*'}", same, false),
        c("namespaceLabels: {env: prod}", b -> b.namespaceLabels(null), false),
        c("namespaceLabels: {env: prod}", b -> b.namespace(null).namespaceLabels(null), false),
        c("objectLabels: {app: web}", same, true),
        c("objectLabels: {app: db}", same, false),
        c("objectLabels: {app: web}", b -> b.objectLabels(null), false),
        c("objectLabels: {app: web}", b -> b.objectLabels(Map.of()), false),
        c("nonResourcePaths: [/healthz]", b -> b.resourceRequest(false).path("/healthz").verb("get"), true),
        c("nonResourcePaths: [/healthz]", b -> b.resourceRequest(false).path("/healthz/").verb("get"), true),
        c("nonResourcePaths: [/healthz]", b -> b.resourceRequest(false).path("/healthz/etcd").verb("get"), false),
        c("nonResourcePaths: ['/healthz/*']", b -> b.resourceRequest(false).path("/healthz/etcd").verb("get"), true),
        c("nonResourcePaths: ['/healthz*']", b -> b.resourceRequest(false).path("/healthzzz").verb("get"), true),
        c("nonResourcePaths: ['*']", b -> b.resourceRequest(false).path("/version").verb("get"), true),
        c("nonResourcePaths: ['*']", same, false),
        c("resources: ['*']", b -> b.resourceRequest(false).path("/version").verb("get"), false),
        c("{usernames: [alice], verbs: [get]}", b -> b.resourceRequest(false).path("/version"), true),
        c("{usernames: [alice], verbs: [get], namespaces: [team-a]}", same, true),
        c("{usernames: [alice], verbs: [get], namespaces: [team-a]}", b -> b.verb("list"), false),
        c("match: all", b -> b.resourceRequest(false).path("/version"), true));
  }

  @ParameterizedTest(name = "allow {0} matches={2}")
  @MethodSource("dimensions")
  void shouldMatchEachDimensionForAllowRules(String match, UnaryOperator<PolicyRequest.Builder> request,
      boolean matches) {
    Policy p = policy(NO_GUARDRAILS + "rules:\n  - {id: r, effect: allow, " + inline(match) + "}\n");

    PolicyResult result = p.evaluate(request.apply(base()).build());

    assertThat(result.effect()).isEqualTo(matches ? PolicyEffect.ALLOW : PolicyEffect.DENY);
    assertThat(result.ruleId()).isEqualTo(matches ? "r" : "default");
  }

  static Stream<Arguments> denyDimensions() {
    UnaryOperator<PolicyRequest.Builder> same = b -> b;
    return Stream.of(
        c("namespaceLabels: {env: prod}", same, true),
        c("namespaceLabels: {env: dev}", same, false),
        c("namespaceLabels: {env: dev}", b -> b.namespaceLabels(null), true),
        c("objectLabels: {app: db}", b -> b.objectLabels(null), true),
        c("objectLabels: {app: db}", same, false),
        c("resources: [pods]", b -> b.resource("pods").apiGroup("").subresource("exec"), true),
        c("{resources: [pods], subresources: ['']}", b -> b.resource("pods").apiGroup("").subresource("exec"), false),
        c("verbs: [delete]", same, false),
        c("groups: [devs]", same, true));
  }

  @ParameterizedTest(name = "deny {0} matches={2}")
  @MethodSource("denyDimensions")
  void shouldFailClosedForDenyRules(String match, UnaryOperator<PolicyRequest.Builder> request, boolean matches) {
    Policy p = policy(NO_GUARDRAILS + "defaultEffect: allow\nrules:\n  - {id: d, effect: deny, reason: blocked, "
        + inline(match) + "}\n");

    PolicyResult result = p.evaluate(request.apply(base()).build());

    assertThat(result.effect()).isEqualTo(matches ? PolicyEffect.DENY : PolicyEffect.ALLOW);
    assertThat(result.ruleId()).isEqualTo(matches ? "d" : "default");
  }

  private static String inline(String match) {
    return match.startsWith("{") ? match.substring(1, match.length() - 1) : match;
  }

  @Test
  void shouldLetDenyOverrideAllowWhateverTheOrder() {
    Policy p = policy(NO_GUARDRAILS + """
        rules:
          - {id: all-devs, effect: allow, groups: [devs], record: metadata}
          - {id: no-prod, effect: deny, reason: prod is read-only, namespaceLabels: {env: prod}, verbs: [get],
             recording: strict, maskResponse: false}
        """);

    PolicyResult result = p.evaluate(base().build());

    assertThat(result).isEqualTo(new PolicyResult(PolicyEffect.DENY, "no-prod", "prod is read-only",
        RecordMode.FULL, true, false));
    assertThat(p.evaluate(base().namespaceLabels(Map.of("env", "dev")).build()))
        .isEqualTo(new PolicyResult(PolicyEffect.ALLOW, "all-devs", null, RecordMode.METADATA, false, true));
  }

  @Test
  void shouldFallBackToTheDefaultEffect() {
    PolicyResult denied = policy("rules: []").evaluate(base().build());
    PolicyResult allowed = policy("""
        defaultEffect: allow
        defaults: {record: metadata, recording: strict, maskResponse: false}
        """).evaluate(base().build());

    assertThat(denied.effect()).isEqualTo(PolicyEffect.DENY);
    assertThat(denied.ruleId()).isEqualTo("default");
    assertThat(denied.reason()).isNotBlank();
    assertThat(denied.record()).isEqualTo(RecordMode.FULL);
    assertThat(denied.strict()).isFalse();
    assertThat(denied.maskResponse()).isTrue();
    assertThat(allowed).isEqualTo(new PolicyResult(PolicyEffect.ALLOW, "default", null, RecordMode.METADATA, true, false));
  }

  @Test
  void shouldLetAGuardrailBeatAnAllowRule() {
    Policy p = policy("rules:\n  - {id: everything, effect: allow, match: all}\n");

    PolicyResult result = p.evaluate(Requests.req("deletecollection", "pods", "team-a").build());

    assertThat(result.effect()).isEqualTo(PolicyEffect.DENY);
    assertThat(result.ruleId()).isEqualTo("guardrail:no-deletecollection");
    assertThat(p.guardrails()).containsExactlyInAnyOrder(Guardrail.values());
  }

  @Test
  void shouldConvertToTheRecordedDecision() {
    PolicyResult byDefault = new PolicyResult(PolicyEffect.DENY, "default", "x", RecordMode.FULL, true, true);
    PolicyResult byRule = new PolicyResult(PolicyEffect.ALLOW, "r", null, RecordMode.FULL, false, true);

    assertThat(byDefault.toDecision().getRuleId()).isNull();
    assertThat(byDefault.toDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(byDefault.toDecision().getStrict()).isTrue();
    assertThat(byRule.toDecision().getRuleId()).isEqualTo("r");
    assertThat(byRule.toDecision().getEffect()).isEqualTo(Effect.ALLOW);
  }
}

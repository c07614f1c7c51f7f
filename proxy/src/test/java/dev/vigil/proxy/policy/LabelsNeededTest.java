package dev.vigil.proxy.policy;

import static dev.vigil.proxy.policy.Requests.base;
import static dev.vigil.proxy.policy.Requests.policy;
import static dev.vigil.proxy.policy.Requests.req;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.vigil.proxy.policy.Policy.LabelsNeeded;

/** Which labels the gateway must look up for a request: only those that can change its decision. */
class LabelsNeededTest {

  private static final String LABEL_RULES = """
      defaultEffect: deny
      rules:
        - id: no-protected-writes
          effect: deny
          reason: protected
          verbs: [update, patch, delete]
          resources: [configmaps]
          objectLabels: {protected: "true"}
        - id: read-prod
          effect: allow
          verbs: [get, list]
          resources: [pods, namespaces]
          namespaceLabels: {env: prod}
      """;

  @Test
  void shouldKnowAtParseTimeWhichLabelKindsThePolicyUses() {
    Policy both = policy(LABEL_RULES);
    Policy none = policy("""
        rules:
          - {id: all, effect: allow, match: all}
        """);
    Policy namespaceOnly = policy("""
        rules:
          - {id: ns, effect: allow, resources: [pods], namespaceLabels: {env: dev}}
        """);

    assertThat(both.usesNamespaceLabels()).isTrue();
    assertThat(both.usesObjectLabels()).isTrue();
    assertThat(none.usesNamespaceLabels()).isFalse();
    assertThat(none.usesObjectLabels()).isFalse();
    assertThat(none.labelsNeeded(base().build())).isEqualTo(LabelsNeeded.NONE);
    assertThat(namespaceOnly.usesNamespaceLabels()).isTrue();
    assertThat(namespaceOnly.usesObjectLabels()).isFalse();
  }

  @Test
  void shouldNeedOnlyTheLabelsOfRulesThatMatchInEveryOtherField() {
    Policy p = policy(LABEL_RULES);

    assertThat(p.labelsNeeded(req("delete", "configmaps", "team-a").name("c").build()))
        .isEqualTo(new LabelsNeeded(false, true));
    assertThat(p.labelsNeeded(req("get", "pods", "team-a").name("p").build()))
        .isEqualTo(new LabelsNeeded(true, false));
    assertThat(p.labelsNeeded(req("get", "configmaps", "team-a").name("c").build()))
        .as("no label rule names reads of configmaps").isEqualTo(LabelsNeeded.NONE);
    assertThat(p.labelsNeeded(req("delete", "pods", "team-a").name("p").build())).isEqualTo(LabelsNeeded.NONE);
    assertThat(p.labelsNeeded(req("get", "namespaces", null).name("team-a").build()))
        .as("a cluster-scoped request has known, empty namespace labels").isEqualTo(LabelsNeeded.NONE);
    assertThat(p.labelsNeeded(req("get", "namespaces", "team-a").name("team-a").build()))
        .as("a request on namespace X carries X as its namespace").isEqualTo(new LabelsNeeded(true, false));
  }

  @Test
  void shouldNeedNoLabelsWhenAGuardrailOrAnEarlierRuleWithoutLabelsDecides() {
    Policy p = policy("""
        defaultEffect: deny
        rules:
          - id: no-deletes
            effect: deny
            reason: no deletes
            verbs: [delete]
            resources: ["*"]
          - id: protected
            effect: deny
            reason: protected
            resources: [configmaps]
            objectLabels: {protected: "true"}
          - id: read-all
            effect: allow
            verbs: [get]
            resources: ["*"]
          - id: read-prod
            effect: allow
            verbs: [get]
            resources: [pods]
            namespaceLabels: {env: prod}
        """);

    assertThat(p.labelsNeeded(req("delete", "configmaps", "team-a").name("c").build()))
        .as("an earlier deny rule without labels decides").isEqualTo(LabelsNeeded.NONE);
    assertThat(p.labelsNeeded(req("deletecollection", "configmaps", "team-a").build()))
        .as("guardrail no-deletecollection decides").isEqualTo(LabelsNeeded.NONE);
    assertThat(p.labelsNeeded(req("get", "configmaps", "team-a").name("c").build()))
        .as("the deny rule's labels matter; read-all then decides before read-prod")
        .isEqualTo(new LabelsNeeded(false, true));
    assertThat(p.labelsNeeded(req("get", "pods", "team-a").name("p").build()))
        .as("read-all decides pods before the namespace rule is reached").isEqualTo(LabelsNeeded.NONE);
  }

  @Test
  void shouldDecideTheSameWithLabelsItDidNotNeed() {
    Policy p = policy(LABEL_RULES);
    PolicyRequest.Builder pods = req("get", "pods", "team-a").name("p");
    PolicyRequest withoutObjectLabels = pods.objectLabels(null).namespaceLabels(java.util.Map.of("env", "prod")).build();

    assertThat(p.labelsNeeded(withoutObjectLabels).objectLabels()).isFalse();
    assertThat(p.evaluate(withoutObjectLabels).ruleId()).isEqualTo("read-prod");
    assertThat(p.evaluate(pods.namespaceLabels(null).build()).ruleId()).isEqualTo("default");
  }
}

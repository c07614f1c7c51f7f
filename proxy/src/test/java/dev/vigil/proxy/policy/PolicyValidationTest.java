package dev.vigil.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyValidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown top-level field | rulez: [] | rulez: unknown field",
      "bad default effect | defaultEffect: maybe | defaultEffect: must be one of allow, deny",
      "bad defaults record | defaults: {record: some} | defaults.record: must be one of full, metadata, off",
      "bad defaults recording | defaults: {recording: eventually} | defaults.recording: must be one of strict, best-effort",
      "bad defaults mask | defaults: {maskResponse: sometimes} | defaults.maskResponse: must be true or false",
      "unknown defaults field | defaults: {recrod: full} | defaults.recrod: unknown field",
      "unknown guardrail | guardrails: {no-fun: false} | guardrails.no-fun: unknown guardrail",
      "bad guardrail value | guardrails: {no-deletecollection: maybe} | guardrails.no-deletecollection: must be true, false",
      "unknown guardrail param | guardrails: {no-deletecollection: {namespaces: [a]}} | guardrails.no-deletecollection.namespaces: unknown field",
      "bad secret namespaces | guardrails: {secrets-only-in-allowed-namespaces: {namespaces: a}} | guardrails.secrets-only-in-allowed-namespaces.namespaces: must be a list",
      "rules not a list | rules: {id: a} | rules: must be a list",
      "rule not a mapping | rules: [x] | rules[0]: must be a mapping",
      "missing id | 'rules: [{effect: allow, match: all}]' | rules[0].id: is required",
      "non-string id | 'rules: [{id: [a], effect: allow, match: all}]' | rules[0].id: must be a non-empty string",
      "duplicate id | 'rules: [{id: a, effect: allow, match: all}, {id: a, effect: allow, verbs: [get]}]' | rules[1] (id \"a\").id: duplicate id, already used by rules[0]",
      "reserved id | 'rules: [{id: default, effect: allow, match: all}]' | rules[0] (id \"default\").id: \"default\" and \"guardrail:*\" are reserved",
      "unknown rule field | 'rules: [{id: a, effect: allow, verb: [get]}]' | rules[0] (id \"a\").verb: unknown field",
      "missing effect | 'rules: [{id: a, match: all}]' | rules[0] (id \"a\").effect: is required",
      "bad effect | 'rules: [{id: a, effect: permit, match: all}]' | rules[0] (id \"a\").effect: must be one of allow, deny",
      "deny without reason | 'rules: [{id: a, effect: deny, match: all}]' | rules[0] (id \"a\").reason: is required for a deny rule",
      "boolean reason | 'rules: [{id: a, effect: deny, reason: no, match: all}]' | rules[0] (id \"a\").reason: must be a non-empty string",
      "no match fields | 'rules: [{id: a, effect: allow}]' | rules[0] (id \"a\"): has no match fields; write `match: all`",
      "match all with fields | 'rules: [{id: a, effect: allow, match: all, verbs: [get]}]' | rules[0] (id \"a\").match: \"all\" cannot be combined",
      "bad match | 'rules: [{id: a, effect: allow, match: some}]' | rules[0] (id \"a\").match: the only value is \"all\"",
      "list is a string | 'rules: [{id: a, effect: allow, verbs: get}]' | rules[0] (id \"a\").verbs: must be a list of strings",
      "list has a number | 'rules: [{id: a, effect: allow, namespaces: [1]}]' | rules[0] (id \"a\").namespaces: must be a list of strings",
      "empty list | 'rules: [{id: a, effect: allow, resources: []}]' | rules[0] (id \"a\").resources: must not be empty",
      "empty resource | 'rules: [{id: a, effect: allow, resources: [\"\"]}]' | rules[0] (id \"a\").resources: must not contain an empty string",
      "upper-case verb | 'rules: [{id: a, effect: allow, verbs: [GET]}]' | rules[0] (id \"a\").verbs: verbs are lower-case",
      "bad channel | 'rules: [{id: a, effect: allow, channels: [ssh]}]' | rules[0] (id \"a\").channels: must be KUBERNETES, LLM",
      "bad labels | 'rules: [{id: a, effect: allow, objectLabels: [app]}]' | rules[0] (id \"a\").objectLabels: must be a non-empty mapping",
      "nested label | 'rules: [{id: a, effect: allow, namespaceLabels: {env: {x: y}}}]' | rules[0] (id \"a\").namespaceLabels.env: must be a string",
      "bad path | 'rules: [{id: a, effect: allow, nonResourcePaths: [healthz]}]' | rules[0] (id \"a\").nonResourcePaths: \"healthz\" must start with /",
      "inner wildcard | 'rules: [{id: a, effect: allow, nonResourcePaths: [/a*/b]}]' | rules[0] (id \"a\").nonResourcePaths: \"/a*/b\" must start with / and may end with * only",
      "paths and resources | 'rules: [{id: a, effect: allow, nonResourcePaths: [/x], resources: [pods]}]' | rules[0] (id \"a\").nonResourcePaths: cannot be combined",
      "models and resources | 'rules: [{id: a, effect: allow, models: [claude*], resources: [pods]}]' | rules[0] (id \"a\").models: cannot be combined with apiGroups, resources",
      "models and namespaces | 'rules: [{id: a, effect: deny, reason: r, models: [x], namespaces: [a]}]' | rules[0] (id \"a\").models: cannot be combined",
      "models and labels | 'rules: [{id: a, effect: allow, models: [x], namespaceLabels: {env: prod}}]' | rules[0] (id \"a\").models: cannot be combined",
      "models on kubernetes | 'rules: [{id: a, effect: allow, models: [x], channels: [KUBERNETES]}]' | rules[0] (id \"a\").models: matches LLM calls only, but channels does not include LLM",
      "inner model wildcard | 'rules: [{id: a, effect: allow, models: [\"claude-*-haiku\"]}]' | rules[0] (id \"a\").models: \"claude-*-haiku\" may have * only at its end",
      "empty models | 'rules: [{id: a, effect: allow, models: []}]' | rules[0] (id \"a\").models: must not be empty",
      "model not a string | 'rules: [{id: a, effect: allow, models: [1]}]' | rules[0] (id \"a\").models: must be a list of strings",
      "unknown guardrail lists the llm one | guardrails: {no-fun: false} | guardrails.no-fun: unknown guardrail (known: no-exec-kube-system, no-delete-critical, no-deletecollection, no-admin-bindings, secrets-only-in-allowed-namespaces, no-privileged-pods, no-secret-in-llm-prompt)",
      "bad rule record | 'rules: [{id: a, effect: allow, match: all, record: bodies}]' | rules[0] (id \"a\").record: must be one of full, metadata, off",
      "bad rule recording | 'rules: [{id: a, effect: allow, match: all, recording: yes}]' | rules[0] (id \"a\").recording: must be one of strict, best-effort",
      "bad rule mask | 'rules: [{id: a, effect: allow, match: all, maskResponse: partly}]' | rules[0] (id \"a\").maskResponse: must be true or false",
      "defaults off and strict | 'defaults: {record: off, recording: strict}' | defaults.record: \"off\" cannot be combined with recording: strict",
      "rule off and strict | 'rules: [{id: a, effect: allow, match: all, record: \"off\", recording: strict}]' | rules[0] (id \"a\").record: \"off\" cannot be combined with recording: strict;",
      "rule off, defaults strict | 'defaults: {recording: strict}\nrules: [{id: a, effect: allow, verbs: [get]}, {id: b, effect: allow, match: all, record: off}]' | rules[1] (id \"b\").record: \"off\" cannot be combined with recording: strict from defaults",
      "rule strict, defaults off | 'defaults: {record: \"off\"}\nrules: [{id: a, effect: allow, match: all, recording: strict}]' | rules[0] (id \"a\").recording: strict cannot be combined with record: \"off\" from defaults",
      "deny rule off and strict | 'rules: [{id: a, effect: deny, reason: r, verbs: [delete], record: off, recording: strict}]' | rules[0] (id \"a\").record: \"off\" cannot be combined",
      "second rule named | 'rules: [{id: a, effect: allow, match: all}, {id: b, effect: allow, groups: g}]' | rules[1] (id \"b\").groups: must be a list",
      "not yaml | 'rules: [' | not valid YAML (line",
      "duplicate key | 'rules: []\nrules: []' | not valid YAML",
      "not a mapping | '[1, 2]' | the policy must be a mapping",
      "empty | '' | the policy file is empty",
  })
  void shouldNameRuleAndFieldInErrors(String name, String yaml, String expected) {
    InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class,
        () -> Policy.parse(yaml.replace("\\n", "\n")));

    assertThat(e).as(name).isNotNull();
    assertThat(e.errors()).as(name).anySatisfy(err -> assertThat(err).startsWith(expected));
    assertThat(e.getMessage()).contains(expected);
  }

  @Test
  void shouldReportEveryErrorAtOnce() {
    InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class, () -> Policy.parse("""
        defaultEffect: sometimes
        rules:
          - {id: a, effect: deny, verbs: [get]}
          - {id: b, effect: allow, resources: pods}
        """));

    assertThat(e.errors()).containsExactly(
        "defaultEffect: must be one of allow, deny (got \"sometimes\")",
        "rules[0] (id \"a\").reason: is required for a deny rule",
        "rules[1] (id \"b\").resources: must be a list of strings (got \"pods\")");
  }

  @Test
  void shouldReportContradictoryDefaultsOnceNotAtEveryRuleInheritingThem() {
    InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class, () -> Policy.parse("""
        defaults: {record: "off", recording: strict}
        rules:
          - {id: a, effect: allow, verbs: [get]}
          - {id: b, effect: allow, verbs: [list], record: metadata}
          - {id: c, effect: allow, verbs: [watch], recording: best-effort}
        """));

    assertThat(e.errors()).containsExactly("defaults.record: \"off\" cannot be combined with recording: strict; a strict"
        + " call is forwarded only once it was recorded");
  }

  @Test
  void shouldAcceptOffAndStrictWhenNoRuleOrDefaultHasBoth() throws Exception {
    Policy p = Policy.parse("""
        defaultEffect: allow
        defaults: {record: "off"}
        rules:
          - {id: strict-writes, effect: allow, verbs: [create], record: metadata, recording: strict}
          - {id: strict-full, effect: allow, verbs: [delete], record: full, recording: strict}
          - {id: quiet, effect: allow, verbs: [get], recording: best-effort}
        """);
    Policy q = Policy.parse("""
        defaults: {recording: strict}
        rules:
          - {id: probes, effect: allow, nonResourcePaths: [/healthz], record: off, recording: best-effort}
        """);

    assertThat(p.defaultEffect()).isEqualTo(PolicyEffect.ALLOW);
    assertThat(q.defaultEffect()).isEqualTo(PolicyEffect.DENY);
  }

  @Test
  void shouldAcceptTheDocumentedExample() throws Exception {
    Policy p = Policy.parse("""
        defaultEffect: deny
        defaults: {record: full, recording: best-effort, maskResponse: true}
        guardrails:
          no-deletecollection: false
          secrets-only-in-allowed-namespaces: {enabled: true, namespaces: [team-a]}
        rules:
          - id: read-anything
            description: agents may read, outside secrets
            effect: allow
            verbs: [get, list, watch]
            resources: ["*"]
          - id: healthz
            effect: allow
            nonResourcePaths: [/healthz, "/version*"]
            record: off
          - id: no-prod-writes
            effect: deny
            reason: production is read-only for agents
            verbs: [create, update, patch, delete]
            namespaceLabels: {env: prod}
            recording: strict
        """);

    assertThat(p.defaultEffect()).isEqualTo(PolicyEffect.DENY);
    assertThat(p.guardrails()).doesNotContain(Guardrail.NO_DELETECOLLECTION).hasSize(Guardrail.values().length - 1);
  }
}

package dev.vigil.proxy.policy;

import static dev.vigil.proxy.policy.Requests.base;
import static dev.vigil.proxy.policy.Requests.llm;
import static dev.vigil.proxy.policy.Requests.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code models} and {@code channels} on LLM calls and Kubernetes calls (see POLICY.md). */
class LlmRulesTest {

  private static final String SONNET = "claude-sonnet-4-5-20250929";

  private static Arguments c(String match, PolicyRequest.Builder request, boolean matches) {
    return Arguments.of(match, request, matches);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c("models: [claude-sonnet-4-5-20250929]", llm(SONNET), true),
        c("models: [claude-sonnet-4-5]", llm(SONNET), false),
        c("models: ['claude-sonnet-4*']", llm(SONNET), true),
        c("models: ['claude-3-5-haiku*', gpt-4o]", llm(SONNET), false),
        c("models: ['claude-3-5-haiku*', gpt-4o]", llm("gpt-4o"), true),
        c("models: ['claude-3-5-haiku*', gpt-4o]", llm("gpt-4o-mini"), false),
        c("models: [Claude-Sonnet-4-5-20250929]", llm(SONNET), false),
        c("models: ['*']", llm(null), true),
        c("models: ['claude*']", llm(null), false),
        c("models: ['*']", base(), false),
        c("models: ['claude*']", base().model("claude-x"), false),
        c("channels: [LLM]", llm(SONNET), true),
        c("channels: [llm]", llm(SONNET), true),
        c("channels: [KUBERNETES]", llm(SONNET), false),
        c("channels: [LLM]", base(), false),
        c("channels: ['*']", llm(SONNET), true),
        c("{channels: [LLM], verbs: [create]}", llm(SONNET), true),
        c("{channels: [LLM], verbs: [get]}", llm(SONNET), false),
        c("{channels: [LLM], verbs: [get]}", llm(null).verb("get").path("/llm/anthropic/v1/models"), true),
        c("{models: ['claude*'], groups: [devs]}", llm(SONNET), true),
        c("{models: ['claude*'], groups: [ops]}", llm(SONNET), false),
        c("{models: ['claude*'], channels: [LLM, KUBERNETES]}", llm(SONNET), true),
        c("nonResourcePaths: ['/llm/anthropic/*']", llm(SONNET), true),
        c("nonResourcePaths: ['/llm/openai/*']", llm(SONNET), false),
        c("{models: ['claude*'], nonResourcePaths: [/llm/anthropic/v1/messages]}", llm(SONNET), true),
        c("{models: ['claude*'], nonResourcePaths: [/llm/anthropic/v1/messages/count_tokens]}", llm(SONNET), false),
        c("resources: ['*']", llm(SONNET), false),
        c("namespaces: ['*']", llm(SONNET), false),
        c("usernames: [alice]", llm(SONNET), true),
        c("verbs: [create]", llm(SONNET), true),
        c("match: all", llm(SONNET), true));
  }

  @ParameterizedTest(name = "allow {0} matches={2}")
  @MethodSource("cases")
  void shouldMatchModelsAndChannels(String match, PolicyRequest.Builder request, boolean matches) {
    String inline = match.startsWith("{") ? match.substring(1, match.length() - 1) : match;
    Policy p = policy("rules:\n  - {id: r, effect: allow, " + inline + "}\n");

    PolicyResult result = p.evaluate(request.build());

    assertThat(result.ruleId()).isEqualTo(matches ? "r" : "default");
  }

  /** The "restrict models per group" example of POLICY.md. */
  private static final Policy MODELS_PER_GROUP = policy("""
      rules:
        - id: no-large-models-for-agents
          effect: deny
          reason: agents use the smaller models
          groups: [agents]
          models: ["claude-opus*", "gpt-4.5*"]
        - id: agents-llm
          effect: allow
          groups: [agents]
          channels: [LLM]
        - id: ops-models
          effect: allow
          groups: [ops]
          models: ["claude-sonnet-4*", "claude-opus-4*"]
      """);

  @Test
  void shouldRestrictModelsPerGroup() {
    PolicyRequest.Builder agent = llm("claude-opus-4-1").groups(List.of("agents"));
    PolicyRequest.Builder ops = llm("claude-opus-4-1").groups(List.of("ops"));

    assertThat(MODELS_PER_GROUP.evaluate(agent.build()).ruleId()).isEqualTo("no-large-models-for-agents");
    assertThat(MODELS_PER_GROUP.evaluate(agent.build()).reason()).isEqualTo("agents use the smaller models");
    assertThat(MODELS_PER_GROUP.evaluate(agent.model(SONNET).build()).ruleId()).isEqualTo("agents-llm");
    assertThat(MODELS_PER_GROUP.evaluate(agent.model(null).verb("get").build()).ruleId()).isEqualTo("agents-llm");
    assertThat(MODELS_PER_GROUP.evaluate(ops.build()).ruleId()).isEqualTo("ops-models");
    assertThat(MODELS_PER_GROUP.evaluate(ops.model("claude-3-5-haiku-latest").build()).ruleId()).isEqualTo("default");
    assertThat(MODELS_PER_GROUP.evaluate(base().groups(List.of("ops")).build()).ruleId())
        .as("a models rule never decides a Kubernetes call").isEqualTo("default");
  }
}

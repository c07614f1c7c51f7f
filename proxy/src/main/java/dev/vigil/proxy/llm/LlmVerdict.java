package dev.vigil.proxy.llm;

import dev.vigil.schema.PolicyDecision;

/**
 * The policy's decision on one LLM call.
 *
 * @param decision what RequestReceived records
 * @param strict   the call is forwarded only once its RequestReceived was acknowledged ({@code recording: strict})
 */
public record LlmVerdict(boolean allowed, PolicyDecision decision, String ruleId, String reason, boolean strict) {

  /** What a denied caller reads: the rule and the reason. */
  String denialMessage() {
    return "Vigil policy denied this request (rule " + ruleId + "): " + (reason == null ? "denied" : reason);
  }
}

package dev.vigil.proxy.policy;

import java.util.Objects;

import dev.vigil.schema.Effect;
import dev.vigil.schema.PolicyDecision;

/**
 * The outcome of {@link Policy#evaluate}: the effect, the rule that decided ({@code guardrail:<name>}, a rule id, or
 * {@code default}), the reason (always set for a deny), and how the call is to be recorded.
 *
 * @param strict true when the call may be forwarded only after its event was acknowledged (recording {@code strict})
 */
public record PolicyResult(PolicyEffect effect, String ruleId, String reason, RecordMode record, boolean strict,
    boolean maskResponse) {

  /** The rule id of a decision made by {@code defaultEffect}. */
  public static final String DEFAULT_RULE_ID = "default";

  public PolicyResult {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(record, "record");
  }

  public boolean allowed() {
    return effect == PolicyEffect.ALLOW;
  }

  /**
   * The decision as recorded in {@code RequestReceived}. The schema's {@code ruleId} is null when the default decided,
   * so {@code default} maps to null here.
   */
  public PolicyDecision toDecision() {
    return PolicyDecision.newBuilder()
        .setEffect(effect == PolicyEffect.ALLOW ? Effect.ALLOW : Effect.DENY)
        .setRuleId(DEFAULT_RULE_ID.equals(ruleId) ? null : ruleId)
        .setReason(reason)
        .setStrict(strict)
        .build();
  }
}

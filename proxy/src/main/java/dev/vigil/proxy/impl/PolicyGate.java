package dev.vigil.proxy.impl;

import dev.vigil.proxy.impl.content.RecordedContent;
import dev.vigil.proxy.policy.PolicyRequest;
import dev.vigil.proxy.policy.PolicyResult;
import dev.vigil.proxy.policy.PolicyStore;
import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.Channel;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import io.vertx.core.Future;

/**
 * Decides each authenticated call with the current policy (reloaded by its {@link PolicyStore}) on the canonical
 * parsed request and, for writes, the request body. Without a configured policy every authenticated call is allowed,
 * and the recorded decision says so. Namespace and object labels are not looked up yet (passed as unknown, which deny
 * rules treat as matching and allow rules as not matching).
 */
final class PolicyGate {

  /** The outcome for one call: whether to forward it and what to record. */
  record Verdict(boolean allowed, PolicyDecision decision, String ruleId, String reason, boolean strict,
      RecordMode record, boolean maskResponse) {}

  private final PolicyStore store;

  /** {@code store} may be null: no policy configured. */
  PolicyGate(PolicyStore store) {
    this.store = store;
  }

  /** Decides the call of {@code ex}; the future never fails (a failed label lookup leaves labels unknown). */
  Future<Verdict> decide(Exchange ex, Body requestBody) {
    if (store == null) {
      return Future.succeededFuture(new Verdict(true, EventFactory.allow(), null, null, false, RecordMode.FULL, false));
    }
    KubernetesRequestInfo info = ex.parsed.info();
    CallerIdentity caller = ex.caller;
    PolicyRequest request = PolicyRequest.builder()
        .subject(caller.subject())
        .username(caller.username())
        .groups(caller.groups())
        .issuer(caller.issuer())
        .channel(Channel.KUBERNETES)
        .verb(info.getVerb())
        .apiGroup(info.getApiGroup())
        .resource(info.getResource())
        .subresource(info.getSubresource())
        .namespace(info.getNamespace())
        .name(info.getName())
        .resourceRequest(info.getResourceRequest())
        .path(ex.parsed.canonicalPath())
        .body(requestBody == null ? null : RecordedContent.json(requestBody))
        .build();
    PolicyResult result = store.current().evaluate(request);
    // Strict (fail-closed) recording applies to calls that are forwarded: a denied call is never forwarded, so its
    // record does not claim the strict path.
    boolean strict = result.allowed() && result.strict();
    PolicyDecision decision = PolicyDecision.newBuilder(result.toDecision()).setStrict(strict).build();
    return Future.succeededFuture(new Verdict(result.allowed(), decision, result.ruleId(), result.reason(), strict,
        result.record(), result.maskResponse()));
  }

  /** The 403 a denied caller sees: kubectl prints the message, which names the rule and the reason. */
  static StatusErrors.StatusError forbidden(Verdict v) {
    return new StatusErrors.StatusError(403, "Forbidden",
        "Vigil policy denied this request (rule " + v.ruleId() + "): " + (v.reason() == null ? "denied" : v.reason()));
  }
}

package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.proxy.impl.content.RecordedContent;
import dev.vigil.proxy.policy.Policy;
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
 * and the recorded decision says so.
 *
 * <p>Labels (see proxy/POLICY.md "Unknown labels") are supplied only when the current policy has a label rule that
 * could decide this call ({@link Policy#labelsNeeded}), so most calls never wait for a lookup:
 * <ul>
 *   <li>namespace labels of a namespaced request: looked up ({@link LabelLookup}, {@code GET /api/v1/namespaces/<ns>});
 *       a request on namespace X itself gets X's labels;</li>
 *   <li>object labels of a create (no subresource): the request body's {@code metadata.labels} (none = empty, known;
 *       no decodable body = unknown);</li>
 *   <li>object labels of any other single-object call (get, update, patch, delete, and subresources such as
 *       {@code pods/exec}, which get the parent object's labels): looked up — for update and patch these are the
 *       object's current labels, not the ones the body would set;</li>
 *   <li>list, watch and deletecollection address no single object: object labels stay unknown.</li>
 * </ul>
 * Unknown labels (lookup failed, timed out, 403, 404) are passed as null: deny rules on labels match, allow rules on
 * labels do not.
 */
final class PolicyGate {

  /** The outcome for one call: whether to forward it and what to record. */
  record Verdict(boolean allowed, PolicyDecision decision, String ruleId, String reason, boolean strict,
      RecordMode record, boolean maskResponse) {}

  /** Verbs that address no single object: their object labels are unknown. */
  private static final Set<String> COLLECTION_VERBS = Set.of("list", "watch", "deletecollection");

  private final PolicyStore store;
  private final LabelLookup labels;

  /** {@code store} may be null: no policy configured; {@code labels} may be null: nothing is looked up (unknown). */
  PolicyGate(PolicyStore store, LabelLookup labels) {
    this.store = store;
    this.labels = labels;
  }

  /** Decides the call of {@code ex}; the future never fails (a failed label lookup leaves labels unknown). */
  Future<Verdict> decide(Exchange ex, Body requestBody) {
    if (store == null) {
      return Future.succeededFuture(new Verdict(true, EventFactory.allow(), null, null, false, RecordMode.FULL, false));
    }
    Policy policy = store.current();
    KubernetesRequestInfo info = ex.parsed.info();
    CallerIdentity caller = ex.caller;
    JsonNode body = requestBody == null ? null : RecordedContent.json(requestBody);
    PolicyRequest.Builder request = PolicyRequest.builder()
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
        .body(body);
    Policy.LabelsNeeded needed = policy.labelsNeeded(request.build());
    if (!needed.any()) {
      return Future.succeededFuture(verdict(policy.evaluate(request.build())));
    }
    Future<Map<String, String>> namespaceLabels = needed.namespaceLabels() && labels != null
        && info.getNamespace() != null ? labels.namespaceLabels(info.getNamespace()) : Future.succeededFuture(null);
    Future<Map<String, String>> objectLabels = needed.objectLabels() ? objectLabels(info, body)
        : Future.succeededFuture(null);
    return Future.all(namespaceLabels, objectLabels).map(done -> verdict(policy.evaluate(request
        .namespaceLabels(namespaceLabels.result())
        .objectLabels(objectLabels.result())
        .build())));
  }

  /**
   * PLACEHOLDER (issue 7, engineer L1a) until engineer L1b's {@code decideLlm} lands, which replaces this method whole
   * (adding {@code models} rules and the {@code no-secret-in-llm-prompt} guardrail). Decides an LLM call as the issue 7
   * contract says, with what the policy can express today: channel LLM, verb {@code get} for GET and {@code create}
   * otherwise, no resource ({@code resourceRequest} false), path = the canonical {@code /llm/...} path; without a policy
   * every authenticated call is allowed. {@code ex.ref.getLlm()} carries provider, operation, model and stream;
   * {@code requestBody} is the whole request body as received (never recorded as is). The future never fails.
   */
  Future<Verdict> decideLlm(Exchange ex, Body requestBody) {
    if (store == null) {
      return Future.succeededFuture(new Verdict(true, EventFactory.allow(), null, null, false, RecordMode.FULL, false));
    }
    CallerIdentity caller = ex.caller;
    return Future.succeededFuture(verdict(store.current().evaluate(PolicyRequest.builder()
        .subject(caller.subject()).username(caller.username()).groups(caller.groups()).issuer(caller.issuer())
        .channel(Channel.LLM)
        .verb("GET".equals(ex.ref.getMethod()) ? "get" : "create")
        .resourceRequest(false)
        .path(ex.ref.getPath())
        .build())));
  }

  private Future<Map<String, String>> objectLabels(KubernetesRequestInfo info, JsonNode body) {
    if (!info.getResourceRequest() || COLLECTION_VERBS.contains(info.getVerb())) {
      return Future.succeededFuture(null);
    }
    if ("create".equals(info.getVerb()) && info.getSubresource() == null) {
      return Future.succeededFuture(LabelLookup.labelsOf(body)); // the object being created; null without a body
    }
    return labels == null ? Future.succeededFuture(null) : labels.objectLabels(info);
  }

  private static Verdict verdict(PolicyResult result) {
    // Strict (fail-closed) recording applies to calls that are forwarded: a denied call is never forwarded, so its
    // record does not claim the strict path.
    boolean strict = result.allowed() && result.strict();
    PolicyDecision decision = PolicyDecision.newBuilder(result.toDecision()).setStrict(strict).build();
    return new Verdict(result.allowed(), decision, result.ruleId(), result.reason(), strict, result.record(),
        result.maskResponse());
  }

  /** The 403 a denied caller sees: kubectl prints the message, which names the rule and the reason. */
  static StatusErrors.StatusError forbidden(Verdict v) {
    return new StatusErrors.StatusError(403, "Forbidden",
        "Vigil policy denied this request (rule " + v.ruleId() + "): " + (v.reason() == null ? "denied" : v.reason()));
  }
}

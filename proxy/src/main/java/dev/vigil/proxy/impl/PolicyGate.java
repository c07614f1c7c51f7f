package dev.vigil.proxy.impl;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.proxy.impl.content.RecordedContent;
import dev.vigil.proxy.policy.Policy;
import dev.vigil.proxy.policy.PolicyRequest;
import dev.vigil.proxy.policy.PolicyResult;
import dev.vigil.proxy.policy.PolicyStore;
import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

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
 *
 * <p>LLM calls ({@link #decideLlm}) are decided on channel {@code LLM} with their model, and with the Secret values of
 * the session ({@link SecretFingerprints}) found in the request, for the guardrail {@code no-secret-in-llm-prompt}.
 */
final class PolicyGate {

  /** The outcome for one call: whether to forward it and what to record. */
  record Verdict(boolean allowed, PolicyDecision decision, String ruleId, String reason, boolean strict,
      RecordMode record, boolean maskResponse) {}

  /** LLM requests longer than this are scanned for Secret values on a worker thread. */
  static final int INLINE_SCAN_CHARS = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(PolicyGate.class);
  /** Verbs that address no single object: their object labels are unknown. */
  private static final Set<String> COLLECTION_VERBS = Set.of("list", "watch", "deletecollection");

  private final PolicyStore store;
  private final LabelLookup labels;
  private final SecretFingerprints secretReads;
  private final Vertx vertx;

  /** {@code store} may be null: no policy configured; {@code labels} may be null: nothing is looked up (unknown). */
  PolicyGate(PolicyStore store, LabelLookup labels) {
    this(store, labels, null, null);
  }

  /**
   * {@code secretReads} may be null: LLM calls are decided as if no session read any Secret; {@code vertx} may be null:
   * every scan runs on the calling thread (else a request over {@value #INLINE_SCAN_CHARS} characters is scanned on a
   * worker thread).
   */
  PolicyGate(PolicyStore store, LabelLookup labels, SecretFingerprints secretReads, Vertx vertx) {
    this.store = store;
    this.labels = labels;
    this.secretReads = secretReads;
    this.vertx = vertx;
  }

  /** What the scan of an LLM request found: the session's fingerprints, and whether it could not be checked whole. */
  private record Prompt(List<String> secrets, boolean unscanned) {
    static final Prompt CLEAN = new Prompt(List.of(), false);
  }

  /**
   * Decides the LLM call of {@code ex} (its {@code ref} gives the method and the canonical {@code /llm/...} path): verb
   * {@code create} for POST, {@code get} for GET and HEAD (another method: its lower-case name), no resource,
   * {@code resourceRequest} false, channel LLM, {@code model} (null when the call names none). The request is scanned
   * for the values of the Secrets the session read ({@link SecretFingerprints#scan}); what is found is kept in
   * {@link Exchange#promptSecrets} for the recording, and a policy's guardrail {@code no-secret-in-llm-prompt} denies
   * the call. A body that cannot be checked whole (truncated, not text) while the session holds fingerprints is
   * denied by that guardrail too (so is one whose scan failed: fail closed). Without a policy every call is allowed.
   *
   * @param requestBody the <b>whole</b> request body (not a copy capped for recording), or null
   */
  Future<Verdict> decideLlm(Exchange ex, String model, Body requestBody) {
    return prompt(ex, requestBody).map(prompt -> {
      ex.promptSecrets = prompt.secrets();
      if (store == null) {
        return new Verdict(true, EventFactory.allow(), null, null, false, RecordMode.FULL, false);
      }
      CallerIdentity caller = ex.caller;
      PolicyRequest request = PolicyRequest.builder()
          .subject(caller.subject())
          .username(caller.username())
          .groups(caller.groups())
          .issuer(caller.issuer())
          .channel(Channel.LLM)
          .verb(llmVerb(ex.ref.getMethod()))
          .resourceRequest(false)
          .path(ex.ref.getPath())
          .model(model)
          .body(requestBody == null ? null : RecordedContent.json(requestBody))
          .promptSecrets(prompt.secrets())
          .promptUnscanned(prompt.unscanned())
          .build();
      return verdict(store.current().evaluate(request));
    });
  }

  private Future<Prompt> prompt(Exchange ex, Body body) {
    if (secretReads == null || body == null || !secretReads.holdsAny(ex.sessionKey)) {
      return Future.succeededFuture(Prompt.CLEAN);
    }
    if (body.getEncoding() != BodyEncoding.TEXT) {
      return Future.succeededFuture(new Prompt(List.of(), true));
    }
    String sessionKey = ex.sessionKey;
    String text = body.getContent();
    boolean truncated = body.getTruncated();
    Callable<Prompt> scan = () -> new Prompt(secretReads.scan(sessionKey, text).fingerprints(), truncated);
    if (vertx == null || text.length() <= INLINE_SCAN_CHARS) {
      try {
        return Future.succeededFuture(scan.call());
      } catch (Exception e) {
        return unscanned(ex, e);
      }
    }
    return vertx.executeBlocking(scan, false).recover(err -> unscanned(ex, err));
  }

  /** Fail closed: a scan that failed leaves the request unchecked, which the guardrail denies. */
  private static Future<Prompt> unscanned(Exchange ex, Throwable err) {
    LOG.error("Scanning the LLM request of call {} for Secret values failed", ex.requestId, err);
    return Future.succeededFuture(new Prompt(List.of(), true));
  }

  /** The verb of an LLM call: create for POST, get for GET and HEAD, else the lower-case method. */
  static String llmVerb(String method) {
    String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
    return switch (m) {
      case "POST" -> "create";
      case "GET", "HEAD" -> "get";
      default -> m.toLowerCase(Locale.ROOT);
    };
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

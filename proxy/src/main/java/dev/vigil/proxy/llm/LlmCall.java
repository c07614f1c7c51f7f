package dev.vigil.proxy.llm;

import java.util.Map;

import dev.vigil.schema.Body;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * The gateway's side of one LLM call: who the caller is, its session, the policy decision, and its recording — one
 * RequestReceived, then a StreamFrame per server-sent event, then exactly one ResponseCompleted or UpstreamError.
 * Every recorded body is masked whole — the values of the Kubernetes Secrets the session read, then the masking
 * library — and then cut at its cap (so a value is never recorded half-masked). Event-loop confined.
 */
public interface LlmCall {

  /**
   * The policy's decision on one LLM call.
   *
   * @param decision what RequestReceived records
   * @param strict   the call is forwarded only once its RequestReceived was acknowledged ({@code recording: strict})
   */
  record Verdict(boolean allowed, PolicyDecision decision, String ruleId, String reason, boolean strict) {

    /** What a denied caller reads: the rule and the reason. */
    public String denialMessage() {
      return "Vigil policy denied this request (rule " + ruleId + "): " + (reason == null ? "denied" : reason);
    }
  }

  String requestId();

  String sessionKey();

  /** Authenticates the caller's OIDC token; a failed future's message says why, never with the token. */
  Future<Void> authenticate(String token);

  /**
   * The session key from {@code X-Vigil-Session} (may be null), as on the Kubernetes channel.
   *
   * @throws IllegalArgumentException with a message for the caller when the header is invalid
   */
  void session(String header);

  /** The call's LLM attributes: on every event from now on. */
  void describe(LlmRequestInfo info);

  /**
   * Decides the call ({@code PolicyGate.decideLlm}: the policy with its {@code models} rules, and the guardrail
   * {@code no-secret-in-llm-prompt}); {@code requestBody} is the whole body as received, or null.
   */
  Future<Verdict> decide(Body requestBody);

  /**
   * Records the RequestReceived: {@code headers} without credentials, {@code body} masked and cut at {@code cap}
   * bytes (its findings include the session's Secret values the decision found anywhere in the request). Completes once the call may be forwarded — at once (best effort) or when the record was
   * acknowledged (strict); fails when a strict record was not acknowledged in time (counted as refused).
   */
  Future<Void> received(MultiMap headers, Body body, int cap, PolicyDecision decision);

  /** Whether the RequestReceived was recorded (or deliberately not, under {@code record: off}) already. */
  boolean requestRecorded();

  /** Records one server-sent event as a StreamFrame (stream SSE, TO_CLIENT), cut at the frame cap after masking. */
  void frame(Body data);

  /** What ends the stream when a strict call's frame could not be recorded in time. */
  void onStrictAbort(Runnable abort);

  /** Whether the stream was ended because a strict frame could not be recorded. */
  boolean strictEnded();

  /** Records the ResponseCompleted: {@code headers} without credentials plus {@code extra}, {@code body} as above. */
  void completed(int status, MultiMap headers, Map<String, String> extra, Body body, int cap, long bytesToClient,
      ResponseOutcome outcome);

  /** Records the UpstreamError of a call whose provider could not be reached or broke a plain reply. */
  void upstreamError(LlmGateway.UpstreamFailure failure, int statusToClient);
}

package dev.vigil.proxy.impl;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.vigil.ops.RequestIds;
import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.RequestRef;
import io.vertx.core.http.HttpServerRequest;

/** The state of one call through the gateway, from request received to its terminal event. Event-loop confined. */
final class Exchange {

  /** The response header naming the gateway's id of the call. */
  static final String REQUEST_ID_HEADER = "X-Request-Id";

  final String requestId = UUID.randomUUID().toString();
  final HttpServerRequest request;
  final long startNanos;
  final long startMillis;
  /** The channel the call came on: KUBERNETES, or LLM for the {@code /llm/...} routes. */
  dev.vigil.schema.Channel channel = dev.vigil.schema.Channel.KUBERNETES;
  String sessionKey = SessionKeys.ANONYMOUS;
  CallerIdentity caller = CallerIdentity.ANONYMOUS;
  RequestRef ref;
  /**
   * Long-running in kube-apiserver's sense (verb watch or proxy; subresource attach, exec, proxy, log, portforward):
   * legitimately idle for long periods, so no upstream idle timeout.
   */
  boolean longRunning;
  /** The parsed request once the call was admitted (canonical path and query, attributes); null before. */
  RequestInfoParser.ParsedRequest parsed;
  PrefetchingBody requestBody;
  boolean clientClosed;
  /** The caller's side failed while the response was relayed (HTTP/2 stream reset, connection lost). */
  boolean callerFailed;
  /** Set once the RequestReceived event was recorded. */
  boolean receivedRecorded;
  /** The frames of a streamed response or WebSocket relay; null for plain calls. */
  FrameRecorder frames;
  /** The gateway relays this call itself (WebSocket terminated on both sides): the proxy must not answer it. */
  boolean relayedByGateway;
  /** Close the caller's connection once the answer was sent (its request body was not read to the end). */
  boolean closeConnection;
  /** The gateway's own answer when the call was not forwarded or the upstream failed; null when relayed. */
  StatusErrors.StatusError shortCircuit;
  /** Set once the ResponseCompleted or UpstreamError event was recorded: exactly one per call. */
  boolean terminalRecorded;
  /** Strict recording for this call (a {@code recording: strict} rule allowed it); null when best effort. */
  StrictRecording strict;
  /** Ends a strict stream whose frame could not be recorded in time (set by the relay or the response side). */
  Runnable strictAbort;
  /** Set when a strict stream was ended because a frame could not be recorded. */
  boolean strictEnded;
  /** How much of this call is recorded, as the deciding rule says (FULL until the call was decided). */
  RecordMode recordMode = RecordMode.FULL;
  /** The caller receives masked values (the deciding rule's {@code maskResponse}); false until decided. */
  boolean maskResponse;
  /**
   * A body already masked for the caller (maskResponse), with its findings: the next event built with exactly this
   * body records it as it is instead of masking it again ({@link BodyMasking#mask}). Consumed on use.
   */
  BodyMasking.Masked preMasked;
  /**
   * An LLM call: the fingerprints of the session's Secret values that {@link PolicyGate#decideLlm} found in the whole
   * request; listed as findings of its recorded RequestReceived ({@link BodyMasking#maskLlmRequest}) even when the
   * recorded body was cut before them.
   */
  java.util.List<String> promptSecrets = java.util.List.of();

  /** Takes the deciding rule's recording settings for this call. */
  void decided(PolicyGate.Verdict verdict) {
    recordMode = verdict.record();
    maskResponse = verdict.maskResponse();
  }

  Exchange(HttpServerRequest request, long startNanos, long startMillis) {
    this.request = request;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  /**
   * Called once when the gateway takes the call: the caller learns the id its call is recorded under
   * ({@code RequestRef.requestId}; a caller's own X-Request-Id is never taken as the id), and the log lines of this
   * call carry it ({@code requestId}).
   */
  Exchange announce() {
    request.response().headers().set(REQUEST_ID_HEADER, requestId);
    RequestIds.bind(requestId);
    return this;
  }

  long elapsedMillis(long nowNanos) {
    return TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
  }
}

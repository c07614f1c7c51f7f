package dev.vigil.proxy.impl;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;

/**
 * Builds the {@link VigilEvent}s of a call: a fresh event id, the session's next sequence number, the observation
 * time, the call's channel ({@code KUBERNETES}, or {@code LLM}), the caller's identity and this gateway's id around each payload. Bodies are masked;
 * for a call recorded as METADATA ({@link Exchange#recordMode}) they are still masked — the findings (fingerprints
 * only) are kept, so detectors still see them — but the body itself is left out. The {@code k8s-secret} findings of
 * a Kubernetes response or watch event feed the session's {@link SecretFingerprints} (what it read).
 */
final class EventFactory {

  static final String ALLOW_REASON = "no policy configured: every authenticated request is allowed";

  private final String gatewayId;
  private final SessionKeys sessions;
  private final LongSupplier wallClock;
  private final BodyMasking masking;
  private final SecretFingerprints secretReads;

  /** Without masking: for tests that look at raw recording. */
  EventFactory(String gatewayId, SessionKeys sessions, LongSupplier wallClock) {
    this(gatewayId, sessions, wallClock, null);
  }

  EventFactory(String gatewayId, SessionKeys sessions, LongSupplier wallClock, BodyMasking masking) {
    this(gatewayId, sessions, wallClock, masking, null);
  }

  /** {@code secretReads} (may be null) is fed the Secret values each session reads. */
  EventFactory(String gatewayId, SessionKeys sessions, LongSupplier wallClock, BodyMasking masking,
      SecretFingerprints secretReads) {
    this.gatewayId = gatewayId;
    this.sessions = sessions;
    this.wallClock = wallClock;
    this.masking = masking;
    this.secretReads = secretReads;
  }

  static RequestRef ref(String requestId, String method, String path, String query, String sourceAddress,
      String userAgent, KubernetesRequestInfo info) {
    return RequestRef.newBuilder()
        .setRequestId(requestId)
        .setMethod(method)
        .setPath(path)
        .setQuery(query)
        .setSourceAddress(sourceAddress)
        .setUserAgent(userAgent)
        .setKubernetes(info)
        .build();
  }

  static PolicyDecision allow() {
    return PolicyDecision.newBuilder().setEffect(Effect.ALLOW).setRuleId(null).setReason(ALLOW_REASON).setStrict(false).build();
  }

  static PolicyDecision deny(String ruleId, String reason) {
    return PolicyDecision.newBuilder().setEffect(Effect.DENY).setRuleId(ruleId).setReason(reason).setStrict(false).build();
  }

  /** The body as it may be recorded for this call (none below FULL) and its findings. */
  private BodyMasking.Masked mask(Exchange ex, Body body) {
    BodyMasking.Masked m = masking == null || body == null
        ? new BodyMasking.Masked(body, List.of()) : masking.mask(ex, body);
    return ex.recordMode == RecordMode.FULL ? m : new BodyMasking.Masked(null, m.findings());
  }

  /** What a Kubernetes response or watch event showed the session of Secret values (fingerprints only). */
  private void read(Exchange ex, BodyMasking.Masked m) {
    if (secretReads != null) {
      secretReads.fedBy(ex, m.findings());
    }
  }

  VigilEvent requestReceived(Exchange ex, Map<String, String> headers, Body body, PolicyDecision decision) {
    BodyMasking.Masked m = mask(ex, body);
    return envelope(ex, RequestReceived.newBuilder()
        .setHeaders(Map.copyOf(headers))
        .setBody(m.body())
        .setDecision(decision)
        .setFindings(m.findings())
        .build());
  }

  VigilEvent responseCompleted(Exchange ex, int status, Map<String, String> headers, Body body, long durationMillis,
      long bytesToClient) {
    return responseCompleted(ex, status, headers, body, durationMillis, bytesToClient, ResponseOutcome.COMPLETED, 0, 0);
  }

  VigilEvent responseCompleted(Exchange ex, int status, Map<String, String> headers, Body body, long durationMillis,
      long bytesToClient, ResponseOutcome outcome, long framesRecorded, long framesDropped) {
    BodyMasking.Masked m = mask(ex, body);
    read(ex, m);
    return envelope(ex, ResponseCompleted.newBuilder()
        .setOutcome(outcome)
        .setFramesRecorded(framesRecorded)
        .setFramesDropped(framesDropped)
        .setStatus(status)
        .setHeaders(Map.copyOf(headers))
        .setBody(m.body())
        .setDurationMillis(durationMillis)
        .setBytesToClient(bytesToClient)
        .setFindings(m.findings())
        .build());
  }

  VigilEvent streamFrame(Exchange ex, StreamKind kind, long frameIndex, Direction direction, Integer channelNumber,
      String watchEventType, Body data) {
    BodyMasking.Masked m = mask(ex, data);
    if (kind == StreamKind.WATCH) {
      read(ex, m);
    }
    return envelope(ex, StreamFrame.newBuilder()
        .setStream(kind)
        .setFrameIndex(frameIndex)
        .setDirection(direction)
        .setChannelNumber(channelNumber)
        .setWatchEventType(watchEventType)
        .setData(m.body())
        .setFindings(m.findings())
        .build());
  }

  VigilEvent upstreamError(Exchange ex, String errorType, String message, int statusToClient, long durationMillis) {
    return envelope(ex, UpstreamError.newBuilder()
        .setErrorType(errorType)
        .setMessage(message)
        .setStatusToClient(statusToClient)
        .setDurationMillis(durationMillis)
        .build());
  }

  private VigilEvent envelope(Exchange ex, Object payload) {
    return VigilEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionKey(ex.sessionKey)
        .setSequence(sessions.next(ex.sessionKey))
        .setTime(java.time.Instant.ofEpochMilli(wallClock.getAsLong()))
        .setChannel(ex.channel)
        .setIdentity(ex.caller.toAvro())
        .setGatewayId(gatewayId)
        .setRequest(ex.ref)
        .setPayload(payload)
        .build();
  }
}

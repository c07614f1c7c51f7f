package dev.vigil.streams.session;

import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.HashChain;

/**
 * One open session as kept in the sessionizer's store: the summary fields (an OPEN {@link SessionSummary} whose
 * {@code headDigest} is kept current), the raw chain head and whether it changed since it was last emitted.
 * Mutable; owned by one stream task.
 */
final class SessionState {

  private final SessionSummary summary;
  private byte[] head;
  private boolean dirty;

  SessionState(SessionSummary summary, byte[] head, boolean dirty) {
    this.summary = summary;
    this.head = head;
    this.dirty = dirty;
  }

  /** A new session whose first event is {@code first}; the event still has to be {@link #append}ed. */
  static SessionState openWith(VigilEvent first) {
    return open(first.getSessionKey(), first.getEventId(), first.getIdentity(), first.getTime());
  }

  /** A new session opened by an alert for a key without an open session (id {@code <sessionKey>#<alertId>}). */
  static SessionState openWith(String sessionKey, Alert alert) {
    return open(sessionKey, alert.getAlertId(), alert.getIdentity(), alert.getTime());
  }

  private static SessionState open(String sessionKey, String firstId, Identity identity, Instant time) {
    String sessionId = sessionKey + "#" + firstId;
    byte[] h0 = HashChain.genesis(sessionId);
    SessionSummary s = SessionSummary.newBuilder()
        .setSessionId(sessionId)
        .setSessionKey(sessionKey)
        .setIdentity(identity)
        .setFirstEventTime(time)
        .setLastEventTime(time)
        .setEventCount(0)
        .setCountsByVerb(new HashMap<>())
        .setCountsByResource(new HashMap<>())
        .setCountsByNamespace(new HashMap<>())
        .setCountsByChannel(new HashMap<>())
        .setDeniedCount(0)
        .setAlertCount(0)
        .setDuplicatesSkipped(0)
        .setStatus(SessionStatus.OPEN)
        .setHeadDigest(HashChain.hex(h0))
        .build();
    return new SessionState(s, h0, true);
  }

  String sessionId() {
    return summary.getSessionId();
  }

  Instant lastEventTime() {
    return summary.getLastEventTime();
  }

  byte[] head() {
    return head.clone();
  }

  boolean dirty() {
    return dirty;
  }

  void markEmitted() {
    dirty = false;
  }

  /**
   * Chains {@code raw} and counts it: event count and first/last time for every event; verb, resource, namespace
   * and channel once per call (on its {@code RequestReceived}), and denials from that event's decision.
   */
  void append(RawEvent raw, int maxCountKeys) {
    VigilEvent e = raw.event();
    head = HashChain.next(head, raw.value());
    summary.setHeadDigest(HashChain.hex(head));
    Instant t = e.getTime();
    if (summary.getEventCount() == 0) {
      summary.setFirstEventTime(t);
      summary.setLastEventTime(t);
    } else if (t.isBefore(summary.getFirstEventTime())) {
      summary.setFirstEventTime(t);
    } else if (t.isAfter(summary.getLastEventTime())) {
      summary.setLastEventTime(t);
    }
    summary.setEventCount(summary.getEventCount() + 1);
    if (e.getPayload() instanceof RequestReceived received) {
      count(summary.getCountsByChannel(), e.getChannel().name(), maxCountKeys);
      KubernetesRequestInfo k8s = e.getRequest().getKubernetes();
      if (k8s != null) {
        count(summary.getCountsByVerb(), k8s.getVerb(), maxCountKeys);
        if (k8s.getResource() != null) {
          String sub = k8s.getSubresource();
          count(summary.getCountsByResource(), k8s.getResource() + (sub == null ? "" : "/" + sub), maxCountKeys);
        }
        count(summary.getCountsByNamespace(), k8s.getNamespace(), maxCountKeys);
      }
      if (received.getDecision().getEffect() == Effect.DENY) {
        summary.setDeniedCount(summary.getDeniedCount() + 1);
      }
    }
    dirty = true;
  }

  void countDuplicate() {
    summary.setDuplicatesSkipped(summary.getDuplicatesSkipped() + 1);
    dirty = true;
  }

  /** Counts the alert and returns a copy stamped with this session's id. */
  Alert stamp(Alert alert) {
    summary.setAlertCount(summary.getAlertCount() + 1);
    dirty = true;
    return Alert.newBuilder(alert).setSessionId(summary.getSessionId()).build();
  }

  /** A copy of the summary with status OPEN, for the sessions topic. */
  SessionSummary openSummary() {
    return SessionSummary.newBuilder(summary).setStatus(SessionStatus.OPEN).setSignature(null).setSigningKeyId(null)
        .build();
  }

  /** The final summary: status CLOSED, signed over {@link HashChain#signedMessage}. */
  SessionSummary closedSummary(DigestSigner signer) {
    byte[] message = HashChain.signedMessage(summary.getSessionId(), summary.getEventCount(), summary.getHeadDigest());
    return SessionSummary.newBuilder(summary)
        .setStatus(SessionStatus.CLOSED)
        .setSignature(Base64.getEncoder().encodeToString(signer.sign(message)))
        .setSigningKeyId(signer.keyId())
        .build();
  }

  /** The summary as stored (shared, not a copy): for the state serde only. */
  SessionSummary stored() {
    return summary;
  }

  private static void count(Map<String, Long> counts, String key, int maxKeys) {
    if (key == null) {
      return;
    }
    String k = counts.containsKey(key) || counts.size() < maxKeys ? key : SessionSettings.OTHER;
    counts.merge(k, 1L, Long::sum);
  }
}

package dev.vigil.indexer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Severity;

/** Session summaries and alerts as the stream processors write them. */
public final class TestSummaries {

  private TestSummaries() {}

  /** A summary of {@code sessionId} (key {@code sessionKey}) with {@code events} events. */
  public static SessionSummary summary(String sessionKey, String sessionId, SessionStatus status, long events, long alerts) {
    Instant first = TestEvents.T0;
    return SessionSummary.newBuilder()
        .setSessionKey(sessionKey)
        .setSessionId(sessionId)
        .setIdentity(TestEvents.identity("agent", "ai-agents"))
        .setFirstEventTime(first)
        .setLastEventTime(first.plusSeconds(events))
        .setEventCount(events)
        .setCountsByVerb(Map.of("get", events, "delete", 1L))
        .setCountsByResource(Map.of("pods", events, "secrets", 1L))
        .setCountsByNamespace(Map.of("payments", events))
        .setCountsByChannel(Map.of("KUBERNETES", events))
        .setDeniedCount(1)
        .setAlertCount(alerts)
        .setStatus(status)
        .setHeadDigest("ab".repeat(32))
        .setSignature(status == SessionStatus.CLOSED ? "c2lnbmF0dXJl" : null)
        .setSigningKeyId(status == SessionStatus.CLOSED ? "vigil-demo" : null)
        .setDuplicatesSkipped(2)
        .build();
  }

  public static Alert alert(String alertId, String sessionKey, String sessionId) {
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setType("exec-into-pod")
        .setSeverity(Severity.HIGH)
        .setSessionKey(sessionKey)
        .setSessionId(sessionId)
        .setIdentity(TestEvents.identity("agent", "ai-agents"))
        .setEvidenceEventIds(List.of("e1", "e2"))
        .setDescription("oidc:agent opened a shell in payments/api-0")
        .setTime(TestEvents.T0.plusSeconds(5))
        .setAttributes(Map.of("namespace", "payments", "pod", "api-0"))
        .build();
  }
}

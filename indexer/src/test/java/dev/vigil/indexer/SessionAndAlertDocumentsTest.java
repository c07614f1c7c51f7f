package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;

class SessionAndAlertDocumentsTest {

  @Test
  void shouldMapASessionSummaryWithCountKeysAsKeywordArrays() {
    SessionSummary s = TestSummaries.summary("agent-1", "agent-1#e0", SessionStatus.CLOSED, 3, 2);

    Map<String, Object> d = SessionDocuments.toDocument(s, 1, 17L);

    assertThat(SessionDocuments.documentId(s)).isEqualTo("agent-1#e0");
    assertThat(d).containsEntry("sessionId", "agent-1#e0").containsEntry("sessionKey", "agent-1")
        .containsEntry("firstEventTime", "2025-03-01T12:00:00.123Z")
        .containsEntry("firstEventTimeMillis", TestEvents.T0.toEpochMilli())
        .containsEntry("lastEventTime", "2025-03-01T12:00:03.123Z")
        .containsEntry("eventCount", 3L).containsEntry("deniedCount", 1L).containsEntry("alertCount", 2L)
        .containsEntry("hasAlerts", true).containsEntry("status", "CLOSED")
        .containsEntry("verbs", List.of("delete", "get")).containsEntry("resources", List.of("pods", "secrets"))
        .containsEntry("namespaces", List.of("payments")).containsEntry("channels", List.of("KUBERNETES"))
        .containsEntry("countsByVerb", Map.of("get", 3L, "delete", 1L))
        .containsEntry("headDigest", "ab".repeat(32)).containsEntry("signature", "c2lnbmF0dXJl")
        .containsEntry("signingKeyId", "vigil-demo").containsEntry("duplicatesSkipped", 2L)
        .containsEntry("kafka", Map.of("partition", 1, "offset", 17L));
    assertThat(d.get("identity")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("username", "oidc:agent").containsEntry("groups", List.of("ai-agents"));
  }

  @Test
  void shouldOmitTheSignatureOfAnOpenSessionAndFlagNoAlerts() {
    Map<String, Object> d = SessionDocuments.toDocument(TestSummaries.summary("k", "k#e", SessionStatus.OPEN, 1, 0), 0, 0L);

    assertThat(d).containsEntry("status", "OPEN").containsEntry("hasAlerts", false)
        .doesNotContainKeys("signature", "signingKeyId").doesNotContainValue(null);
  }

  @Test
  void shouldRefuseASummaryWithoutSessionId() {
    SessionSummary v1 = TestSummaries.summary("k", "", SessionStatus.OPEN, 1, 0);

    assertThatThrownBy(() -> SessionDocuments.documentId(v1)).hasMessageContaining("without a sessionId");
  }

  @Test
  void shouldMapAnAlert() {
    Alert a = TestSummaries.alert("al-1", "agent-1", "agent-1#e0");

    Map<String, Object> d = AlertDocuments.toDocument(a, 2, 5L);

    assertThat(AlertDocuments.documentId(a)).isEqualTo("al-1");
    assertThat(d).containsEntry("alertId", "al-1").containsEntry("type", "exec-into-pod").containsEntry("severity", "HIGH")
        .containsEntry("sessionKey", "agent-1").containsEntry("sessionId", "agent-1#e0")
        .containsEntry("evidenceEventIds", List.of("e1", "e2"))
        .containsEntry("description", "oidc:agent opened a shell in payments/api-0")
        .containsEntry("time", "2025-03-01T12:00:05.123Z").containsEntry("timeMillis", TestEvents.T0.plusSeconds(5).toEpochMilli())
        .containsEntry("attributes", Map.of("namespace", "payments", "pod", "api-0"))
        .containsEntry("kafka", Map.of("partition", 2, "offset", 5L));
  }

  @Test
  void shouldOmitTheSessionIdOfAnAlertWrittenBeforeV2() {
    Alert a = TestSummaries.alert("al-2", "agent-1", null);

    assertThat(AlertDocuments.toDocument(a, 0, 0L)).doesNotContainKey("sessionId").doesNotContainValue(null);
  }
}

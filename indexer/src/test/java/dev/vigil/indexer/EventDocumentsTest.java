package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.VigilEvent;

class EventDocumentsTest {

  private static final RequestRef REF = TestEvents.ref("req-1", "GET", "/api/v1/namespaces/prod/secrets/db",
      TestEvents.k8s("get", "secrets", "prod", "db"));

  @Test
  void shouldMapTheEnvelopeIdentityAndKubernetesAttributes() {
    VigilEvent e = TestEvents.envelope("s-1", 7, TestEvents.T0, TestEvents.identity("alice", "dev", "ops"), REF)
        .setPayload(TestEvents.request("{\"a\":1}", Effect.DENY))
        .build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000);

    assertThat(d).containsEntry("eventId", e.getEventId())
        .containsEntry("sessionKey", "s-1")
        .containsEntry("sequence", 7L)
        .containsEntry("time", "2025-03-01T12:00:00.123Z")
        .containsEntry("timeMillis", TestEvents.T0.toEpochMilli())
        .containsEntry("channel", "KUBERNETES")
        .containsEntry("type", "request")
        .containsEntry("gatewayId", "gw-1")
        .containsEntry("requestId", "req-1")
        .containsEntry("method", "GET")
        .containsEntry("path", "/api/v1/namespaces/prod/secrets/db")
        .containsEntry("query", "limit=500")
        .containsEntry("sourceAddress", "127.0.0.1")
        .containsEntry("userAgent", "kubectl/v1.32.0");
    assertThat(d.get("identity")).isEqualTo(Map.of("subject", "sub-alice", "username", "oidc:alice",
        "groups", List.of("dev", "ops"), "issuer", "https://issuer.example", "authenticated", true));
    assertThat(d.get("k8s")).isEqualTo(Map.of("verb", "get", "apiGroup", "", "apiVersion", "v1", "resource", "secrets",
        "namespace", "prod", "name", "db", "resourceRequest", true));
    assertThat(d.get("decision")).isEqualTo(Map.of("effect", "DENY", "ruleId", "deny-secrets",
        "reason", "secrets are off limits", "strict", false));
    assertThat(d.get("headers")).isEqualTo(Map.of("Accept", "application/json"));
    assertThat(d).doesNotContainKeys("status", "durationMillis", "findings", "frame", "error");
  }

  @Test
  void shouldMapTheLlmAttributesOfAnLlmCall() {
    RequestRef ref = RequestRef.newBuilder().setRequestId("req-9").setMethod("POST").setPath("/llm/anthropic/v1/messages")
        .setLlm(LlmRequestInfo.newBuilder().setProvider("anthropic").setOperation("messages")
            .setModel("claude-3-5-haiku-latest").setStream(true).build())
        .build();
    VigilEvent e = TestEvents.envelope("agent-1", 1, TestEvents.T0, TestEvents.identity("agent-1"), ref)
        .setChannel(Channel.LLM)
        .setPayload(TestEvents.request("{\"model\":\"claude-3-5-haiku-latest\"}", Effect.ALLOW))
        .build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000);

    assertThat(d).containsEntry("channel", "LLM").containsEntry("path", "/llm/anthropic/v1/messages")
        .doesNotContainKey("k8s");
    assertThat(d.get("llm")).isEqualTo(Map.of("provider", "anthropic", "operation", "messages",
        "model", "claude-3-5-haiku-latest", "stream", true));
  }

  @Test
  void shouldLeaveOutAnLlmModelTheRequestDidNotName() {
    RequestRef ref = RequestRef.newBuilder().setRequestId("req-10").setMethod("GET").setPath("/llm/openai/v1/models")
        .setLlm(LlmRequestInfo.newBuilder().setProvider("openai").setOperation("models").build())
        .build();
    VigilEvent e = TestEvents.envelope("agent-1", 2, TestEvents.T0, TestEvents.identity("agent-1"), ref)
        .setChannel(Channel.LLM)
        .setPayload(TestEvents.request("{}", Effect.ALLOW))
        .build();

    assertThat(EventDocuments.toDocument(e, 1000).get("llm"))
        .isEqualTo(Map.of("provider", "openai", "operation", "models", "stream", false));
  }

  @Test
  void shouldRecordUnauthenticatedCallersAndKafkaCoordinates() {
    VigilEvent e = TestEvents.envelope("s-2", 3, TestEvents.T0, dev.vigil.schema.Identity.newBuilder()
            .setSubject("system:anonymous").setUsername("system:anonymous").setAuthenticated(false).build(), REF)
        .setPayload(TestEvents.request(null, Effect.DENY))
        .build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000, 2, 12_345_678_901L);

    assertThat(d.get("identity")).isEqualTo(Map.of("subject", "system:anonymous", "username", "system:anonymous",
        "groups", List.of(), "authenticated", false));
    assertThat(d.get("kafka")).isEqualTo(Map.of("partition", 2, "offset", 12_345_678_901L));
    assertThat(EventDocuments.toDocument(e, 1000)).doesNotContainKey("kafka");
  }

  @Test
  void shouldOmitAbsentOptionalValuesInsteadOfWritingNulls() {
    RequestRef bare = RequestRef.newBuilder().setRequestId("r").setMethod("POST").setPath("/v1/messages").build();
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("bob"), bare)
        .setChannel(Channel.LLM)
        .setIdentity(dev.vigil.schema.Identity.newBuilder().setSubject("b").setUsername("b").build())
        .setPayload(TestEvents.request(null, Effect.ALLOW))
        .build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000);

    assertThat(d).doesNotContainKeys("query", "sourceAddress", "userAgent", "k8s", "body", "bodyTruncated");
    assertThat(d).containsEntry("channel", "LLM");
    assertThat(d.get("identity")).isEqualTo(Map.of("subject", "b", "username", "b", "groups", List.of(), "authenticated", true));
    assertThat(d.get("decision")).isEqualTo(Map.of("effect", "ALLOW", "strict", false));
    assertThat(d.values()).doesNotContainNull();
  }

  @Test
  void shouldMapResponsesWithStatusDurationBodyAndNestedFindings() {
    Finding f = Finding.newBuilder().setKind("k8s-secret").setLocation("data.password").setFingerprint("abc123").build();
    VigilEvent e = TestEvents.envelope("s", 2, TestEvents.T0, TestEvents.identity("alice"), REF)
        .setPayload(TestEvents.response(200, "{\"data\":{\"password\":\"masked:k8s-secret:abc123\"}}", List.of(f)))
        .build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000);

    assertThat(d).containsEntry("type", "response").containsEntry("status", 200).containsEntry("durationMillis", 42L).containsEntry("outcome", "COMPLETED").containsEntry("framesDropped", 0L)
        .containsEntry("bodyTruncated", false);
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) d.get("body");
    assertThat(body).containsEntry("content", "{\"data\":{\"password\":\"masked:k8s-secret:abc123\"}}")
        .containsEntry("contentType", "application/json").containsEntry("encoding", "TEXT")
        .containsEntry("truncated", false).containsEntry("cappedByIndexer", false);
    assertThat(d.get("findings")).isEqualTo(List.of(Map.of("kind", "k8s-secret", "location", "data.password",
        "fingerprint", "abc123")));
  }

  @Test
  void shouldMapFramesAndUpstreamErrors() {
    VigilEvent frame = TestEvents.envelope("s", 3, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.frame(4, "{\"type\":\"ADDED\"}")).build();
    VigilEvent error = TestEvents.envelope("s", 4, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.error()).build();

    Map<String, Object> f = EventDocuments.toDocument(frame, 1000);
    Map<String, Object> x = EventDocuments.toDocument(error, 1000);

    assertThat(f).containsEntry("type", "frame");
    assertThat(f.get("frame")).isEqualTo(Map.of("stream", "WATCH", "frameIndex", 4L, "direction", "TO_CLIENT",
        "watchEventType", "ADDED"));
    assertThat(f).containsKey("body");
    assertThat(x).containsEntry("type", "error").containsEntry("status", 502).containsEntry("durationMillis", 7L);
    assertThat(x.get("error")).isEqualTo(Map.of("errorType", "CONNECT_FAILED", "message", "connection refused"));
    assertThat(x).doesNotContainKey("body");
  }

  @Test
  void shouldMapRecordingGapsWithTheirCountsUnderTheirSession() {
    VigilEvent e = TestEvents.envelope("alice/task-7", 18, TestEvents.T0, TestEvents.identity("alice"), REF)
        .setPayload(TestEvents.gap("req-1", "req-2")).build();

    Map<String, Object> d = EventDocuments.toDocument(e, 1000);

    assertThat(d).containsEntry("type", "gap").containsEntry("sessionKey", "alice/task-7")
        .containsEntry("requestId", "req-1").containsEntry("sequence", 18L);
    assertThat(d.get("gap")).isEqualTo(Map.ofEntries(Map.entry("eventsLost", 5L), Map.entry("bytesLost", 4096L),
        Map.entry("requestsLost", 2L), Map.entry("framesLost", 1L), Map.entry("terminalsLost", 2L),
        Map.entry("firstLostAt", "2025-03-01T11:59:50.123Z"), Map.entry("lastLostAt", "2025-03-01T11:59:58.123Z"),
        Map.entry("firstLostSequence", 11L), Map.entry("lastLostSequence", 17L), Map.entry("reason", "SEND_FAILED"),
        Map.entry("lostRequestIds", List.of("req-1", "req-2")), Map.entry("requestIdsOmitted", 0L)));
    assertThat(d).doesNotContainKeys("status", "body", "decision", "frame", "error", "findings", "headers");
    assertThat(EventDocuments.type(e.getPayload())).isEqualTo(EventDocuments.TYPE_GAP);
  }

  @Test
  void shouldCapBodiesAndFlagTheTruncation() {
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.request("0123456789", Effect.ALLOW)).build();

    Map<String, Object> d = EventDocuments.toDocument(e, 4);

    assertThat(d).containsEntry("bodyTruncated", true).containsEntry("bodyTruncatedAt", 4);
    assertThat(body(d)).containsEntry("content", "0123").containsEntry("cappedByIndexer", true)
        .containsEntry("truncated", false).containsEntry("originalSize", 10L);
  }

  @Test
  void shouldRecordTheCapOnlyWhenTheIndexerCut() {
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.request("0123456789", Effect.ALLOW)).build();

    assertThat(EventDocuments.toDocument(e, 10)).doesNotContainKey("bodyTruncatedAt").containsEntry("bodyTruncated", false);
  }

  @Test
  void shouldStoreTheExactRecordValueAsBase64() {
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.request("{}", Effect.ALLOW)).build();
    byte[] value = dev.vigil.schema.serde.VigilSerdes.events().encode(e);

    Map<String, Object> d = EventDocuments.toDocument(e, value, 100, 3, 42L);

    assertThat(java.util.Base64.getDecoder().decode((String) d.get("raw"))).isEqualTo(value);
    assertThat(d).containsEntry("kafka", Map.of("partition", 3, "offset", 42L));
    Map<String, Object> withoutRaw = new java.util.LinkedHashMap<>(d);
    withoutRaw.remove("raw");
    assertThat(withoutRaw).as("raw is the only addition").isEqualTo(EventDocuments.toDocument(e, 100, 3, 42L));
  }

  @Test
  void shouldFlagBodiesTheGatewayAlreadyTruncated() {
    Body b = Body.newBuilder().setEncoding(BodyEncoding.BASE64).setContent("AAAA").setOriginalSize(1_000_000)
        .setTruncated(true).build();
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.response(200, null, List.of())).build();
    ((dev.vigil.schema.ResponseCompleted) e.getPayload()).setBody(b);

    Map<String, Object> d = EventDocuments.toDocument(e, 100);

    assertThat(d).containsEntry("bodyTruncated", true);
    assertThat(body(d)).containsEntry("encoding", "BASE64").containsEntry("truncated", true)
        .containsEntry("cappedByIndexer", false);
  }

  @Test
  void shouldNotSplitASurrogatePairWhenCapping() {
    VigilEvent e = TestEvents.envelope("s", 1, TestEvents.T0, TestEvents.identity("a"), REF)
        .setPayload(TestEvents.request("ab\uD83D\uDE00cd", Effect.ALLOW)).build();

    Map<String, Object> d = EventDocuments.toDocument(e, 3);

    assertThat(body(d)).containsEntry("content", "ab");
  }

  @Test
  void shouldNameDailyIndicesByUtcDay() {
    assertThat(EventDocuments.indexName("vigil-events", Instant.parse("2025-03-01T23:59:59.999Z")))
        .isEqualTo("vigil-events-2025.03.01");
    assertThat(EventDocuments.indexName("vigil-events", Instant.parse("2025-03-02T00:00:00Z")))
        .isEqualTo("vigil-events-2025.03.02");
    assertThat(EventDocuments.isoTime(Instant.parse("2025-03-02T00:00:00Z"))).isEqualTo("2025-03-02T00:00:00.000Z");
  }

  @Test
  void shouldUseTheEventIdAsDocumentId() {
    VigilEvent e = TestEvents.simple("s", 1, TestEvents.T0, "a", "get", "pods", "ns", "p", null);
    assertThat(EventDocuments.documentId(e)).isEqualTo(e.getEventId());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(Map<String, Object> doc) {
    return (Map<String, Object>) doc.get("body");
  }

  @Test
  void shouldRejectANegativeCap() {
    VigilEvent e = TestEvents.simple("s", 1, TestEvents.T0, "a", "get", "pods", "ns", "p", null);
    assertThatThrownBy(() -> EventDocuments.toDocument(e, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}

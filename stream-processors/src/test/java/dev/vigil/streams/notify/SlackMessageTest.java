package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Identity;
import dev.vigil.schema.Severity;

class SlackMessageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode render(Alert alert) {
    return JSON.valueToTree(SlackMessage.toMap(alert));
  }

  @Test
  void shouldCarrySeverityTypeWhoSessionAndDescription() {
    JsonNode m = render(TestAlerts.alert("a-1"));

    assertThat(m.get("text").asText()).isEqualTo("[HIGH] secret-leakage by oidc:alice: Secret prod/db-creds read and sent to the LLM");
    JsonNode blocks = m.get("blocks");
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
    assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("HIGH · secret-leakage");
    assertThat(blocks.get(1).get("fields")).extracting(f -> f.get("text").asText()).containsExactly(
        "*Severity*\nHIGH", "*Type*\nsecret-leakage", "*Who*\noidc:alice", "*Session*\nagent-7|kube#ev-1");
    assertThat(blocks.get(2).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(2).get("text").get("text").asText()).isEqualTo("Secret prod/db-creds read and sent to the LLM");
    assertThat(blocks.get(3).get("elements").get(0).get("text").asText()).isEqualTo("Vigil alert a-1 · 2025-03-01T12:00:00.123Z");
  }

  @Test
  void shouldEscapeMrkdwnControlCharactersInEveryRecordedValue() throws Exception {
    Alert alert = Alert.newBuilder(TestAlerts.alert("a-1"))
        .setDescription("read <@U0123> & <!here|x> then <https://evil.example/steal|click>")
        .setIdentity(Identity.newBuilder().setSubject("s").setUsername("<!channel>").setGroups(List.of()).build())
        .setSessionId("s#<!everyone>")
        .build();

    String raw = JSON.writeValueAsString(SlackMessage.toMap(alert));

    assertThat(raw).doesNotContain("<@U0123>").doesNotContain("<!channel>").doesNotContain("<!here").doesNotContain("<!everyone>")
        .doesNotContain("<https://");
    JsonNode m = JSON.readTree(raw);
    assertThat(m.get("blocks").get(2).get("text").get("text").asText())
        .isEqualTo("read &lt;@U0123&gt; &amp; &lt;!here|x&gt; then &lt;https://evil.example/steal|click&gt;");
    assertThat(m.get("blocks").get(1).get("fields").get(2).get("text").asText()).isEqualTo("*Who*\n&lt;!channel&gt;");
    assertThat(m.get("blocks").get(1).get("fields").get(3).get("text").asText()).isEqualTo("*Session*\ns#&lt;!everyone&gt;");
    assertThat(m.get("text").asText()).contains("&lt;!channel&gt;");
  }

  @Test
  void shouldCutLongValuesWithinSlackLimitsNeverInsideAnEscape() {
    assertThat(SlackMessage.escape("abc", 3)).isEqualTo("abc");
    assertThat(SlackMessage.escape("abcd", 3)).isEqualTo("ab…");
    assertThat(SlackMessage.escape("a<b", 5)).isEqualTo("a…");
    assertThat(SlackMessage.escape("<<<<", 12)).isEqualTo("&lt;&lt;…");

    String description = "<".repeat(5000);
    JsonNode m = render(Alert.newBuilder(TestAlerts.alert("a-1")).setDescription(description).build());

    String section = m.get("blocks").get(2).get("text").get("text").asText();
    assertThat(section).hasSizeLessThanOrEqualTo(SlackMessage.SECTION_MAX).endsWith("&lt;…");
    assertThat(m.get("text").asText()).hasSizeLessThanOrEqualTo(SlackMessage.TEXT_MAX);
  }

  @Test
  void shouldShowTheSessionKeyWhenTheSessionIdIsUnknown() {
    JsonNode m = render(Alert.newBuilder(TestAlerts.alert("a-1")).setSessionId(null).build());

    assertThat(m.get("blocks").get(1).get("fields").get(3).get("text").asText()).isEqualTo("*Session*\nagent-7|kube");
  }

  @Test
  void shouldRenderTheGenericJsonWithStableFieldNames() {
    Alert alert = Alert.newBuilder(TestAlerts.alert("a-1", "exec-into-pod", Severity.CRITICAL, "exec")).setSessionId(null).build();

    Map<String, Object> m = AlertJson.toMap(alert);

    assertThat(m).containsKeys("schema", "alertId", "type", "severity", "time", "timeMillis", "description", "sessionKey",
        "sessionId", "identity", "evidenceEventIds", "attributes");
    assertThat(List.copyOf(m.keySet()).get(0)).isEqualTo("schema");
    assertThat(m.get("schema")).isEqualTo("vigil.alert.v1");
    assertThat(m.get("time")).isEqualTo("2025-03-01T12:00:00.123Z");
    assertThat(m.get("timeMillis")).isEqualTo(TestAlerts.T0.toEpochMilli());
    assertThat(m.get("sessionId")).isNull();
    assertThat(m.get("severity")).isEqualTo("CRITICAL");
    assertThat(JSON.valueToTree(m).get("identity").get("groups").get(0).asText()).isEqualTo("oidc:dev");
    assertThat(JSON.valueToTree(m).get("attributes").get("namespace").asText()).isEqualTo("prod");
  }
}

package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.streams.notify.WebhookReceiver.Reply;
import dev.vigil.streams.notify.WebhookSettings.Format;

/** What a receiver gets: signed JSON, escaped Slack messages, each alert id once, only what passes the filters. */
class WebhookDeliveryTest extends WebhookTestBase {

  @Test
  void shouldSignTheJsonBodySoThatTheReceiverCanVerifyIt() throws Exception {
    List<GiveUp> gaveUp = delivery(json(), 3).deliver(polled(TestAlerts.alert("a-1")));

    assertThat(gaveUp).isEmpty();
    WebhookReceiver.Received r = receiver.received().get(0);
    String ts = r.header(Signatures.TIMESTAMP_HEADER);
    assertThat(Long.parseLong(ts)).isCloseTo(Instant.now().getEpochSecond(), offset(5L));
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.header(Signatures.SIGNATURE_HEADER)).isEqualTo("v1=" + hmacHex(TestAlerts.secret(), ts + "." + body));
    assertThat(Signatures.verify(TestAlerts.secret(), ts, r.header(Signatures.SIGNATURE_HEADER), r.body(),
        Instant.now().getEpochSecond(), 300)).isTrue();
    assertThat(Signatures.verify(TestAlerts.secret(), ts, r.header(Signatures.SIGNATURE_HEADER),
        body.replace("a-1", "a-2").getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond(), 300)).isFalse();
    assertThat(r.header(Signatures.ALERT_ID_HEADER)).isEqualTo("a-1");
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode json = JSON.readTree(r.body());
    assertThat(json.get("schema").asText()).isEqualTo("vigil.alert.v1");
    assertThat(json.get("alertId").asText()).isEqualTo("a-1");
    assertThat(json.get("severity").asText()).isEqualTo("HIGH");
    assertThat(json.get("identity").get("username").asText()).isEqualTo("oidc:alice");
    assertThat(counters.delivered.get()).isEqualTo(1);
  }

  @Test
  void shouldSendSlackMessagesWithRecordedContentEscapedAndUnsignedWithoutAKey() throws Exception {
    Alert alert = TestAlerts.alert("a-1", "secret-leakage", Severity.CRITICAL, "<!channel> open <https://evil.example|this> & run");

    delivery(webhook(Format.SLACK, null, Severity.LOW, Set.of()), 3).deliver(polled(alert));

    WebhookReceiver.Received r = receiver.received().get(0);
    String raw = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("<!channel>").doesNotContain("<https://evil");
    JsonNode json = JSON.readTree(r.body());
    assertThat(json.get("text").asText()).contains("&lt;!channel&gt;").contains("&amp; run").startsWith("[CRITICAL] secret-leakage");
    assertThat(json.get("blocks").get(2).get("text").get("text").asText())
        .isEqualTo("&lt;!channel&gt; open &lt;https://evil.example|this&gt; &amp; run");
    assertThat(r.header(Signatures.SIGNATURE_HEADER)).isNull();
    assertThat(r.header(Signatures.ALERT_ID_HEADER)).isEqualTo("a-1");
  }

  @Test
  void shouldGiveUpOn400WithoutRetryingAndWithoutLeakingTheUrl() {
    receiver.script(new Reply(400, Map.of(), "invalid_payload"));

    List<GiveUp> gaveUp = delivery(json(), 3).deliver(polled(TestAlerts.alert("a-1")));

    assertThat(receiver.received()).hasSize(1);
    assertThat(gaveUp).singleElement().satisfies(g -> {
      assertThat(g.reasonCode()).isEqualTo(GiveUp.REJECTED);
      assertThat(g.detail()).contains("400").contains("invalid_payload").doesNotContain(TestAlerts.URL_SECRET);
      assertThat(g.webhook()).isEqualTo("ops");
      assertThat(g.alertId()).isEqualTo("a-1");
    });
    assertThat(counters.gaveUp.get()).isEqualTo(1);
    assertThat(counters.retries.get()).isZero();
    assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("ops").contains("a-1").contains("rejected"))
        .noneSatisfy(l -> assertThat(l).contains(TestAlerts.URL_SECRET));
  }

  @Test
  void shouldNotSendAnAlertIdTwiceButRetryOneThatWasGivenUp() {
    WebhookDelivery d = delivery(json(), 1);
    receiver.script(Reply.of(400));

    d.deliver(polled(TestAlerts.alert("a-1"), TestAlerts.alert("a-2"), TestAlerts.alert("a-2")));
    d.deliver(polled(TestAlerts.alert("a-2"), TestAlerts.alert("a-1")));

    assertThat(receiver.receivedFor("a-2")).hasSize(1);
    assertThat(receiver.receivedFor("a-1")).as("rejected first, so not remembered as delivered").hasSize(2);
    assertThat(counters.duplicatesSkipped.get()).isEqualTo(2);
  }

  @Test
  void shouldSendOnlyAlertsPassingTheSeverityAndTypeFilters() {
    WebhookSettings w = webhook(Format.JSON, TestAlerts.secret(), Severity.HIGH, Set.of("secret-leakage", "exec-into-pod"));

    delivery(w, 1).deliver(polled(
        TestAlerts.alert("low", "secret-leakage", Severity.LOW, "d"),
        TestAlerts.alert("medium", "exec-into-pod", Severity.MEDIUM, "d"),
        TestAlerts.alert("other-type", "privilege-escalation", Severity.CRITICAL, "d"),
        TestAlerts.alert("high", "secret-leakage", Severity.HIGH, "d"),
        TestAlerts.alert("critical", "exec-into-pod", Severity.CRITICAL, "d")));

    assertThat(receiver.received()).extracting(r -> r.header(Signatures.ALERT_ID_HEADER)).containsExactly("high", "critical");
    assertThat(counters.filtered.get()).isEqualTo(3);
  }

}

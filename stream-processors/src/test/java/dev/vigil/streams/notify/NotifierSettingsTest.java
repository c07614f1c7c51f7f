package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Severity;

class NotifierSettingsTest {

  private static final String SLACK_URL = "https://hooks.slack.com/services/T000/B000/" + TestAlerts.URL_SECRET;

  @TempDir
  Path dir;
  private Path secret;

  @BeforeEach
  void secret() throws Exception {
    secret = TestAlerts.secretFile(dir, "siem.secret");
  }

  private Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.streams.notify.kafka.bootstrap.servers", "127.0.0.1:9092");
    m.put("vigil.streams.notify.webhooks.siem.url", "https://siem.example/ingest/vigil?tenant=" + TestAlerts.URL_SECRET);
    m.put("vigil.streams.notify.webhooks.siem.secret-file", secret.toString());
    return m;
  }

  private static NotifierSettings read(Map<String, String> m) {
    return NotifierSettings.from(Settings.of(m));
  }

  private static void assertRefused(Map<String, String> m, String key, String... more) {
    assertThatThrownBy(() -> read(m)).isInstanceOf(ConfigException.class).hasMessageContaining(key)
        .satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain(TestAlerts.URL_SECRET);
          for (String expected : more) {
            assertThat(e.getMessage()).contains(expected);
          }
        });
  }

  @Test
  void shouldReadSeveralWebhooksWithDefaults() {
    Map<String, String> m = base();
    m.put("vigil.streams.notify.webhooks.ops-slack.url", SLACK_URL);
    m.put("vigil.streams.notify.webhooks.ops-slack.format", "Slack");
    m.put("vigil.streams.notify.webhooks.ops-slack.min-severity", "high");
    m.put("vigil.streams.notify.webhooks.ops-slack.types", "secret-leakage, exec-into-pod");

    NotifierSettings s = read(m);

    assertThat(s.webhooks()).extracting(WebhookSettings::name).containsExactly("ops-slack", "siem");
    WebhookSettings slack = s.webhooks().get(0);
    assertThat(slack.format()).isEqualTo(WebhookSettings.Format.SLACK);
    assertThat(slack.secret()).isNull();
    assertThat(slack.minSeverity()).isEqualTo(Severity.HIGH);
    assertThat(slack.types()).containsExactlyInAnyOrder("secret-leakage", "exec-into-pod");
    WebhookSettings siem = s.webhooks().get(1);
    assertThat(siem.format()).isEqualTo(WebhookSettings.Format.JSON);
    assertThat(siem.secret()).isEqualTo(TestAlerts.secret()).as("the file's trailing newline is not part of the key");
    assertThat(siem.minSeverity()).isEqualTo(Severity.LOW);
    assertThat(siem.types()).isEmpty();
    assertThat(s.maxAttempts()).isEqualTo(5);
    assertThat(s.initialBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.dedupeMaxEntries()).isEqualTo(10_000);
    assertThat(s.topic()).isEqualTo("vigil.alerts.v1");
    assertThat(s.dlqTopic()).isEqualTo("vigil.dlq.v1");
  }

  @Test
  void shouldFixTheConsumerSettingsTheNotifierReliesOn() {
    Map<String, String> m = base();
    m.put("vigil.streams.notify.kafka.security.protocol", "SASL_SSL");
    m.put("vigil.streams.notify.kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"pw\";");
    m.put("vigil.streams.notify.kafka.max.poll.records", "10");

    NotifierSettings s = read(m);

    assertThat(s.consumerProperties()).containsEntry("group.id", "vigil-notifier").containsEntry("enable.auto.commit", "false")
        .containsEntry("isolation.level", "read_committed").containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", "10").containsEntry("security.protocol", "SASL_SSL");
    assertThat(s.producerProperties()).containsEntry("bootstrap.servers", "127.0.0.1:9092").containsEntry("acks", "all")
        .containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config").doesNotContainKey("max.poll.records");
    assertThat(s.toString()).doesNotContain("password=").contains("sasl.jaas.config=****");
  }

  @Test
  void shouldNotShowUrlsOrKeysInToString() {
    Map<String, String> m = base();
    m.put("vigil.streams.notify.webhooks.ops.url", SLACK_URL);
    m.put("vigil.streams.notify.webhooks.ops.format", "slack");

    String s = read(m).toString();

    assertThat(s).doesNotContain(TestAlerts.URL_SECRET).doesNotContain("T000").doesNotContain(TestAlerts.SECRET)
        .contains("https://hooks.slack.com/…").contains("https://siem.example/…?…").contains("signed=true");
  }

  @Test
  void shouldHaveNoWebhooksWhenNoneIsConfigured() {
    NotifierSettings s = read(Map.of("vigil.streams.notify.kafka.bootstrap.servers", "k:9092"));

    assertThat(s.hasWebhooks()).isFalse();
    assertThatThrownBy(() -> new AlertNotifier(s, null, null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.streams.notify.webhooks.<name>.url");
  }

  @Test
  void shouldRequireASecretForJsonWebhooks() {
    Map<String, String> m = base();
    m.remove("vigil.streams.notify.webhooks.siem.secret-file");

    assertRefused(m, "vigil.streams.notify.webhooks.siem.secret-file", "VIGIL_STREAMS_NOTIFY_WEBHOOKS_SIEM_SECRET__FILE");
  }

  @Test
  void shouldRefuseAnUnreadableOrShortSecretFile() throws Exception {
    Map<String, String> m = base();
    m.put("vigil.streams.notify.webhooks.siem.secret-file", dir.resolve("missing").toString());
    assertRefused(m, "vigil.streams.notify.webhooks.siem.secret-file", "cannot read");

    Files.writeString(dir.resolve("short"), "tooshort\n");
    m.put("vigil.streams.notify.webhooks.siem.secret-file", dir.resolve("short").toString());
    assertRefused(m, "vigil.streams.notify.webhooks.siem.secret-file", "at least 16 bytes");
  }

  @Test
  void shouldRefuseBadWebhookValuesNamingTheKey() {
    assertRefused(with("vigil.streams.notify.webhooks.siem.format", "xml"), "vigil.streams.notify.webhooks.siem.format");
    assertRefused(with("vigil.streams.notify.webhooks.siem.min-severity", "URGENT"), "vigil.streams.notify.webhooks.siem.min-severity");
    assertRefused(with("vigil.streams.notify.webhooks.siem.url", "ftp://siem.example/" + TestAlerts.URL_SECRET),
        "vigil.streams.notify.webhooks.siem.url");
    assertRefused(with("vigil.streams.notify.webhooks.siem.url", "https://u:" + TestAlerts.URL_SECRET + "@siem.example/x"),
        "vigil.streams.notify.webhooks.siem.url", "user info");
    assertRefused(with("vigil.streams.notify.webhooks.siem.url", "not a url " + TestAlerts.URL_SECRET),
        "vigil.streams.notify.webhooks.siem.url");
    assertRefused(with("vigil.streams.notify.webhooks.other.format", "slack"), "vigil.streams.notify.webhooks.other.url");
    assertRefused(with("vigil.streams.notify.webhooks.Bad_Name.url", SLACK_URL), "vigil.streams.notify.webhooks.Bad_Name.url");
  }

  @Test
  void shouldRefuseUnknownKeys() {
    assertRefused(with("vigil.streams.notify.webhooks.siem.secret", "inline"), "vigil.streams.notify.webhooks.siem.secret");
    assertRefused(with("vigil.streams.notify.max-attempt", "3"), "vigil.streams.notify.max-attempt");
  }

  @Test
  void shouldRefuseBadGlobalValuesNamingTheKey() {
    assertRefused(with("vigil.streams.notify.max-attempts", "0"), "vigil.streams.notify.max-attempts");
    assertRefused(with("vigil.streams.notify.initial-backoff", "soon"), "vigil.streams.notify.initial-backoff");
    assertRefused(with("vigil.streams.notify.max-backoff", "10ms"), "vigil.streams.notify.max-backoff");
    assertRefused(with("vigil.streams.notify.timeout", "0s"), "vigil.streams.notify.timeout");
    assertRefused(with("vigil.streams.notify.dedupe-max-entries", "-1"), "vigil.streams.notify.dedupe-max-entries");
    assertRefused(with("vigil.streams.notify.dlq-topic", "vigil.alerts.v1"), "vigil.streams.notify.dlq-topic");
    assertRefused(with("vigil.streams.notify.kafka.enable.auto.commit", "true"), "vigil.streams.notify.kafka.enable.auto.commit");
    assertRefused(with("vigil.streams.notify.kafka.isolation.level", "read_uncommitted"),
        "vigil.streams.notify.kafka.isolation.level");
    assertRefused(with("vigil.streams.notify.kafka.value.deserializer", "x"), "vigil.streams.notify.kafka.value.deserializer");
    Map<String, String> m = base();
    m.remove("vigil.streams.notify.kafka.bootstrap.servers");
    assertRefused(m, "vigil.streams.notify.kafka.bootstrap.servers");
  }

  @Test
  void shouldReadWebhooksFromTheEnvironment() {
    Settings s = Settings.load(null, Map.of(
        "VIGIL_STREAMS_NOTIFY_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
        "VIGIL_STREAMS_NOTIFY_WEBHOOKS_OPS__ALERTS_URL", SLACK_URL,
        "VIGIL_STREAMS_NOTIFY_WEBHOOKS_OPS__ALERTS_FORMAT", "slack",
        "VIGIL_STREAMS_NOTIFY_WEBHOOKS_OPS__ALERTS_MIN__SEVERITY", "CRITICAL"), Map.of());

    NotifierSettings n = NotifierSettings.from(s);

    assertThat(n.webhooks()).singleElement().satisfies(w -> {
      assertThat(w.name()).isEqualTo("ops-alerts");
      assertThat(w.minSeverity()).isEqualTo(Severity.CRITICAL);
    });
  }

  private Map<String, String> with(String key, String value) {
    Map<String, String> m = base();
    m.put(key, value);
    return m;
  }
}

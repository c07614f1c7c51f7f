package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.chain.Ed25519Keys;

class StreamsSettingsTest {

  @TempDir
  Path dir;

  private StreamsSettings settings(String... kv) throws Exception {
    return StreamsSettings.from(Settings.of(StreamsFixture.settingsMap(dir, Ed25519Keys.generate(), kv)));
  }

  private void assertRefused(String key, String value, String message) {
    assertThatThrownBy(() -> settings(key, value)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(key).hasMessageContaining(message);
  }

  @Test
  void shouldApplyTheDocumentedDefaults() throws Exception {
    StreamsSettings s = settings();
    assertThat(s.eventsTopic()).isEqualTo("vigil.events.v1");
    assertThat(s.sessionsTopic()).isEqualTo("vigil.sessions.v1");
    assertThat(s.alertsTopic()).isEqualTo("vigil.alerts.v1");
    assertThat(s.dlqTopic()).isEqualTo("vigil.dlq.v1");
    assertThat(s.session().inactivityGap()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.session().grace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.session().updateInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.session().maxCountKeys()).isEqualTo(100);
    assertThat(s.dedupeRetention()).isEqualTo(Duration.ofMinutes(76));
    assertThat(s.dedupePurgeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.unknownSchema()).isEqualTo(StreamsSettings.UnknownSchema.FAIL);
    assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.topicCheckTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.signingKeyId()).isEqualTo(StreamsFixture.KEY_ID);
    assertThat(s.applicationId()).isEqualTo("vigil-streams");
    Properties p = VigilStreams.streamsConfig(s);
    assertThat(p).containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("application.id", "vigil-streams")
        .containsEntry("bootstrap.servers", "dummy:9092");
  }

  @Test
  void shouldDeriveTheDedupeRetentionFromGapAndGraceAndPassKafkaSettingsThrough() throws Exception {
    StreamsSettings s = settings("vigil.streams.session.inactivity-gap", "2m", "vigil.streams.session.grace", "10s",
        "vigil.streams.kafka.application.id", "vigil-streams-eu", "vigil.streams.kafka.num.stream.threads", "4",
        "vigil.streams.kafka.processing.guarantee", "at_least_once", "vigil.streams.sessions-topic", "s2");
    assertThat(s.dedupeRetention()).isEqualTo(Duration.ofMinutes(62).plusSeconds(10));
    assertThat(s.applicationId()).isEqualTo("vigil-streams-eu");
    assertThat(s.sessionsTopic()).isEqualTo("s2");
    assertThat(VigilStreams.streamsConfig(s)).containsEntry("num.stream.threads", "4")
        .containsEntry("processing.guarantee", "at_least_once");
    assertThat(settings("vigil.streams.dedupe.retention", "48h").dedupeRetention()).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void shouldNameTheKeyOfEveryBadValue() {
    assertRefused("vigil.streams.session.inactivity-gap", "soon", "must be a duration");
    assertRefused("vigil.streams.session.inactivity-gap", "0s", "must be between");
    assertRefused("vigil.streams.session.inactivity-gap", "169h", "must be between");
    assertRefused("vigil.streams.session.grace", "25h", "must be between");
    assertRefused("vigil.streams.session.update-interval", "10ms", "must be between");
    assertRefused("vigil.streams.session.max-count-keys", "0", "must be between");
    assertRefused("vigil.streams.dedupe.retention", "10m", "must be between PT16M");
    assertRefused("vigil.streams.dedupe.purge-interval", "0s", "must be between");
    assertRefused("vigil.streams.signing.key-id", "has space", "must be 1-128 characters");
    assertRefused("vigil.streams.unknown-schema", "skip", "must be fail or dlq");
    assertRefused("vigil.streams.close-timeout", "1h", "must be between");
    assertRefused("vigil.streams.topic-check-timeout", "0s", "must be between");
    assertRefused("vigil.streams.dlq-topic", "bad topic!", "must be a Kafka topic name");
    assertRefused("vigil.streams.dlq-topic", "vigil.events.v1", "four different topics");
    assertRefused("vigil.streams.kafka.processing.guarantee", "exactly_once", "must be exactly_once_v2 or at_least_once");
  }

  @Test
  void shouldRequireBootstrapServersAndASigningKey() throws Exception {
    Map<String, String> m = StreamsFixture.settingsMap(dir, Ed25519Keys.generate());
    for (String key : new String[] {"vigil.streams.kafka.bootstrap.servers", StreamsSettings.SIGNING_KEY_FILE,
        StreamsSettings.SIGNING_KEY_ID}) {
      Map<String, String> without = new java.util.HashMap<>(m);
      without.remove(key);
      assertThatThrownBy(() -> StreamsSettings.from(Settings.of(without))).isInstanceOf(ConfigException.class)
          .hasMessageContaining("Missing required setting " + key);
    }
  }

  @Test
  void shouldNameTheKeyFileSettingWhenTheKeyCannotBeLoaded() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
    Path rsa = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getEncoder().encodeToString(java.security.KeyPairGenerator.getInstance("RSA")
            .generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    for (Path file : new Path[] {dir.resolve("missing.pem"), notAKey, rsa}) {
      StreamsSettings s = settings(StreamsSettings.SIGNING_KEY_FILE, file.toString());
      assertThatThrownBy(() -> VigilStreams.buildTopology(s)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("Setting " + StreamsSettings.SIGNING_KEY_FILE).hasMessageContaining(file.toString());
    }
  }

  @Test
  void shouldHideSecretsInToString() throws Exception {
    StreamsSettings s = settings("vigil.streams.kafka.sasl.jaas.config", "PlainLoginModule password=\"hunter2\";",
        "vigil.streams.kafka.ssl.keystore.password", "changeit");
    assertThat(s.toString()).doesNotContain("hunter2").doesNotContain("changeit")
        .contains("sasl.jaas.config=****").contains("bootstrap.servers=dummy:9092").contains("signingKeyId=test-key-1");
  }
}

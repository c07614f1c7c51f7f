package dev.vigil.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

class IndexerConfigTest {

  private static Settings settings(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.indexer.kafka.consumer.bootstrap.servers", "localhost:9092");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Settings.of(m);
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    IndexerConfig c = IndexerConfig.from(settings());

    assertThat(c.openSearchUrl()).isEqualTo("http://localhost:9200");
    assertThat(c.indexPrefix()).isEqualTo("vigil-events");
    assertThat(c.indexPattern()).isEqualTo("vigil-events-*");
    assertThat(c.maxBodyChars()).isEqualTo(32_768);
    assertThat(c.batchMaxRecords()).isEqualTo(500);
    assertThat(c.batchMaxBytes()).isEqualTo(5L * 1024 * 1024);
    assertThat(c.initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxAttempts()).isEqualTo(10);
    assertThat(c.topic()).isEqualTo("vigil.events.v1");
    assertThat(c.dlqTopic()).isEqualTo("vigil.dlq.v1");
    assertThat(c.groupId()).isEqualTo("vigil-indexer");
    assertThat(c.topics()).containsExactly("vigil.events.v1", "vigil.sessions.v1", "vigil.alerts.v1");
    assertThat(c.sessionsIndex()).isEqualTo("vigil-sessions");
    assertThat(c.alertsIndex()).isEqualTo("vigil-alerts");
    assertThat(c.retentionMode()).isEqualTo(IndexerConfig.RetentionMode.AUTO);
    assertThat(c.retentionDays()).isEqualTo(30);
    assertThat(c.retentionInterval()).isEqualTo(Duration.ofHours(24));
    assertThat(c.consumerProperties()).containsEntry("allow.auto.create.topics", "false");
    assertThat(c.consumerProperties())
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", "500")
        .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    assertThat(c.producerProperties())
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true");
  }

  @Test
  void shouldPassKafkaSettingsThrough() {
    IndexerConfig c = IndexerConfig.from(settings(
        "vigil.indexer.kafka.consumer.group.id", "g2",
        "vigil.indexer.kafka.consumer.max.poll.records", "50",
        "vigil.indexer.kafka.producer.bootstrap.servers", "other:9092",
        "vigil.indexer.kafka.producer.linger.ms", "5",
        "vigil.indexer.batch.max-records", "100"));

    assertThat(c.groupId()).isEqualTo("g2");
    assertThat(c.consumerProperties()).containsEntry("max.poll.records", "50");
    assertThat(c.producerProperties()).containsEntry("bootstrap.servers", "other:9092").containsEntry("linger.ms", "5");
  }

  @Test
  void shouldRequireTheConsumerBootstrapServers() {
    assertThatThrownBy(() -> IndexerConfig.from(Settings.of(Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.indexer.kafka.consumer.bootstrap.servers");
  }

  @Test
  void shouldRefuseAutoCommitAndUncommittedReads() {
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.kafka.consumer.enable.auto.commit", "true")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.kafka.consumer.enable.auto.commit");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.kafka.consumer.isolation.level", "read_uncommitted")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("isolation.level");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.kafka.consumer.value.deserializer", "x.Y")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("value.deserializer");
  }

  @Test
  void shouldNameTheBadKey() {
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.opensearch.url", "localhost:9200")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.opensearch.url");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.index-prefix", "Vigil*")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.index-prefix");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.max-body-chars", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.max-body-chars");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.batch.max-records", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.batch.max-records");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.retry.max-backoff", "10ms")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.retry.max-backoff");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.retry.max-attempts", "zero")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.retry.max-attempts");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.dlq-topic", "vigil.events.v1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.dlq-topic");
  }

  @Test
  void shouldHideSecretsInToString() {
    IndexerConfig c = IndexerConfig.from(settings(
        "vigil.indexer.opensearch.username", "indexer",
        "vigil.indexer.opensearch.password", "hunter2",
        "vigil.indexer.kafka.consumer.sasl.jaas.config", "secret-jaas"));

    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("secret-jaas").contains("indexer");
  }

  @Test
  void shouldRefuseCredentialsInTheOpenSearchUrlWithoutRepeatingThem() {
    for (String url : new String[] {"https://indexer:hunter2@opensearch:9200", "http://indexer@opensearch:9200/",
        "https://indexer:p@ss word@opensearch"}) {
      assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.opensearch.url", url)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("vigil.indexer.opensearch.url")
          .hasMessageContaining("vigil.indexer.opensearch.username")
          .hasMessageContaining("vigil.indexer.opensearch.password")
          .message().doesNotContain("hunter2").doesNotContain("p@ss").doesNotContain("indexer@");
    }
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.opensearch.url", "http://os:9200/?token=x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.opensearch.url");
    assertThat(IndexerConfig.from(settings("vigil.indexer.opensearch.url", "https://gw.example/opensearch/")).openSearchUrl())
        .isEqualTo("https://gw.example/opensearch/");
  }

  @Test
  void shouldNeverPrintPasswordsInToString() {
    IndexerConfig c = IndexerConfig.from(settings(
        "vigil.indexer.opensearch.username", "indexer",
        "vigil.indexer.opensearch.password", "hunter2",
        "vigil.indexer.kafka.consumer.ssl.key.password", "kp1",
        "vigil.indexer.kafka.consumer.ssl.truststore.password", "tp1",
        "vigil.indexer.kafka.producer.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"u\" password=\"jaas-pw\";",
        "vigil.indexer.kafka.producer.sasl.oauthbearer.jwks.endpoint.url", "https://client:oauth-pw@idp.example/jwks"));

    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("kp1").doesNotContain("tp1")
        .doesNotContain("jaas-pw").doesNotContain("oauth-pw");
  }

  @Test
  void shouldReadTheBulkByteCap() {
    assertThat(IndexerConfig.from(settings("vigil.indexer.batch.max-bytes", "512k")).batchMaxBytes()).isEqualTo(512 * 1024);
    assertThat(IndexerConfig.from(settings("vigil.indexer.batch.max-bytes", "10MiB")).batchMaxBytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(IndexerConfig.from(settings("vigil.indexer.batch.max-bytes", "2048")).batchMaxBytes()).isEqualTo(2048);
    for (String bad : new String[] {"0", "1", "5 GB", "lots", "2048m"}) {
      assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.batch.max-bytes", bad)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.batch.max-bytes");
    }
  }

  @Test
  void shouldDeriveAdminPropertiesFromTheProducer() {
    IndexerConfig c = IndexerConfig.from(settings(
        "vigil.indexer.kafka.producer.security.protocol", "SSL",
        "vigil.indexer.kafka.producer.linger.ms", "5"));

    assertThat(c.adminProperties())
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("client.id", "vigil-indexer-dlq-admin")
        .doesNotContainKeys("linger.ms", "acks", "key.serializer");
  }

  @Test
  void shouldRequireAPasswordWithAUsername() {
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.opensearch.username", "u")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.opensearch.password");
  }

  @Test
  void shouldConfigureSessionsAlertsAndRetention() {
    IndexerConfig c = IndexerConfig.from(settings(
        "vigil.indexer.sessions.topic", "s", "vigil.indexer.sessions.index", "my-sessions",
        "vigil.indexer.alerts.enabled", "false",
        "vigil.indexer.retention.mode", "TASK", "vigil.indexer.retention.days", "7", "vigil.indexer.retention.interval", "1h"));

    assertThat(c.topics()).containsExactly("vigil.events.v1", "s");
    assertThat(c.sessionsIndex()).isEqualTo("my-sessions");
    assertThat(c.retentionMode()).isEqualTo(IndexerConfig.RetentionMode.TASK);
    assertThat(c.retentionDays()).isEqualTo(7);
    assertThat(c.retentionInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(c.toString()).contains("sessions=s->my-sessions").contains("alerts=off").contains("retention=task/7d/PT1H");
  }

  @Test
  void shouldRefuseOverlappingTopicsAndIndicesAndBadRetentionValues() {
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.alerts.topic", "vigil.sessions.v1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.alerts.topic");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.sessions.topic", "vigil.dlq.v1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("different topics");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.alerts.index", "vigil-sessions")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.alerts.index");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.sessions.index", "vigil-events-sessions")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retention would delete it");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.alerts.index", "Alerts")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.alerts.index");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.retention.mode", "sometimes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.retention.mode");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.retention.days", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.retention.days");
    assertThatThrownBy(() -> IndexerConfig.from(settings("vigil.indexer.retention.interval", "10s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.indexer.retention.interval");
    // a disabled topic may repeat another's name
    assertThat(IndexerConfig.from(settings("vigil.indexer.alerts.enabled", "false", "vigil.indexer.alerts.topic",
        "vigil.events.v1")).topics()).containsExactly("vigil.events.v1", "vigil.sessions.v1");
  }
}

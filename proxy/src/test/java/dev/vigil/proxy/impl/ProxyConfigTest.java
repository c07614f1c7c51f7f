package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.proxy.ProxyConfig;

class ProxyConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> minimal() throws Exception {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "cert");
    Path key = Files.writeString(dir.resolve("tls.key"), "key");
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1");
    Map<String, String> m = new HashMap<>();
    m.put("vigil.proxy.tls.cert-file", cert.toString());
    m.put("vigil.proxy.tls.key-file", key.toString());
    m.put("vigil.proxy.upstream.kubeconfig", kubeconfig.toString());
    m.put("vigil.proxy.oidc.issuer", "https://issuer.example");
    return m;
  }

  @Test
  void shouldApplyDocumentedDefaults() throws Exception {
    ProxyConfig c = ProxyConfig.from(Settings.of(minimal()));

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.oidcAudience()).isEqualTo("vigil");
    assertThat(c.usernameClaim()).isEqualTo("sub");
    assertThat(c.groupsClaim()).isEqualTo("groups");
    assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxRequestBodyBytes()).isEqualTo(3L * 1024 * 1024);
    assertThat(c.recordMaxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(c.eventsTopic()).isEqualTo("vigil.events.v1");
    assertThat(c.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.upstreamIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.gatewayId()).startsWith("vigil-proxy");
    assertThat(c.kafkaProducer()).isEmpty();
  }

  @Test
  void shouldNameTheMissingKey() throws Exception {
    for (String key : new String[] {"vigil.proxy.tls.cert-file", "vigil.proxy.tls.key-file",
        "vigil.proxy.upstream.kubeconfig", "vigil.proxy.oidc.issuer"}) {
      Map<String, String> m = minimal();
      m.remove(key);
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
  }

  @Test
  void shouldRejectBadValuesNamingTheKey() throws Exception {
    Map<String, Map<String, String>> bad = Map.of(
        "vigil.proxy.port", Map.of("vigil.proxy.port", "70000"),
        "vigil.proxy.oidc.issuer", Map.of("vigil.proxy.oidc.issuer", "ftp://x"),
        "vigil.proxy.tls.cert-file", Map.of("vigil.proxy.tls.cert-file", dir.resolve("missing.crt").toString()),
        "vigil.proxy.upstream.connect-timeout", Map.of("vigil.proxy.upstream.connect-timeout", "0s"),
        "vigil.proxy.record.max-body-bytes", Map.of("vigil.proxy.record.max-body-bytes", "-1"));
    for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
      Map<String, String> m = minimal();
      m.putAll(e.getValue());
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).as(e.getKey())
          .isInstanceOf(ConfigException.class).hasMessageContaining(e.getKey());
    }
  }

  @Test
  void shouldPassKafkaProducerSettingsThroughAndHideSecretsInToString() throws Exception {
    Map<String, String> m = minimal();
    m.put("vigil.proxy.kafka.producer.bootstrap.servers", "k1:9092");
    m.put("vigil.proxy.kafka.producer.sasl.jaas.config", "org.apache.kafka...PlainLoginModule password=\"hunter2\";");
    m.put("vigil.proxy.kafka.producer.ssl.key.password", "hunter3");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.kafkaProducer()).containsEntry("bootstrap.servers", "k1:9092").containsKey("sasl.jaas.config");
    assertThat(c.toString()).contains("k1:9092").doesNotContain("hunter2").doesNotContain("hunter3");
  }

  @Test
  void shouldLetTheKafkaPassthroughOverrideDefaultsButNotTheSerializers() {
    Map<String, Object> config = KafkaRecordingSink.producerConfig(Map.of(
        "bootstrap.servers", "k1:9092", "acks", "1", "value.serializer", "x.Y", "linger.ms", "5"));

    assertThat(config).containsEntry("acks", "1").containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "5")
        .containsEntry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer")
        .containsEntry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    assertThat(KafkaRecordingSink.producerConfig(Map.of("bootstrap.servers", "k")).get("acks")).isEqualTo("all");
    assertThatThrownBy(() -> KafkaRecordingSink.producerConfig(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.kafka.producer.bootstrap.servers");
  }
}

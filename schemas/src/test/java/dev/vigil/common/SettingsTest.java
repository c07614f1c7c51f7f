package dev.vigil.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void shouldLetEnvironmentOverrideTheFileAndExplicitOverridesWin(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vigil.properties");
    Files.writeString(file, "vigil.proxy.port=8443\nvigil.proxy.host=0.0.0.0\nvigil.proxy.gateway-id=a\n");
    Settings s = Settings.load(file,
        Map.of("VIGIL_PROXY_PORT", "9443", "VIGIL_PROXY_GATEWAY__ID", "b", "HOME", "/root"),
        Map.of("vigil.proxy.host", "127.0.0.1"));
    assertThat(s.getPort("vigil.proxy.port", 1)).isEqualTo(9443);
    assertThat(s.get("vigil.proxy.gateway-id", null)).isEqualTo("b");
    assertThat(s.get("vigil.proxy.host", null)).isEqualTo("127.0.0.1");
    assertThat(s.has("home")).isFalse();
  }

  @Test
  void shouldPassPrefixedKeysThrough() {
    Settings s = Settings.of(Map.of("vigil.proxy.kafka.producer.bootstrap.servers", "k:9092",
        "vigil.proxy.kafka.producer.acks", "all", "vigil.proxy.port", "1"));
    assertThat(s.withPrefix("vigil.proxy.kafka.producer"))
        .containsOnly(Map.entry("bootstrap.servers", "k:9092"), Map.entry("acks", "all"));
  }

  @Test
  void shouldNameTheBadKey() {
    Settings s = Settings.of(Map.of("vigil.proxy.port", "eighty", "vigil.x.timeout", "soon", "vigil.y", "70000"));
    assertThatThrownBy(() -> s.getPort("vigil.proxy.port", 1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.port");
    assertThatThrownBy(() -> s.getDuration("vigil.x.timeout", Duration.ZERO)).hasMessageContaining("vigil.x.timeout");
    assertThatThrownBy(() -> s.getPort("vigil.y", 1)).hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> s.required("vigil.missing")).hasMessageContaining("VIGIL_MISSING");
  }

  @Test
  void shouldParseDurations() {
    Settings s = Settings.of(Map.of("a", "500ms", "b", "30s", "c", "5m", "d", "PT2H", "e", "1h"));
    assertThat(s.getDuration("a", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(s.getDuration("b", null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.getDuration("c", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.getDuration("d", null)).isEqualTo(Duration.ofHours(2));
    assertThat(s.getDuration("e", null)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void shouldHideSecretsInToString() {
    Settings s = Settings.of(Map.of("vigil.proxy.upstream.token", "s3cr3t", "vigil.x.sasl.jaas.config", "pw",
        "vigil.proxy.port", "8443", "vigil.indexer.kafka.consumer.ssl.keystore.key", "PEMKEY", "vigil.x.ssl.key", "K2"));
    assertThat(s.toString()).doesNotContain("PEMKEY").doesNotContain("K2").doesNotContain("s3cr3t").doesNotContain("pw\b").contains("8443").contains("****");
  }

  @Test
  void shouldMapEnvironmentNames() {
    assertThat(Settings.envToKey("VIGIL_PROXY_MAX__BODY_BYTES")).isEqualTo("vigil.proxy.max-body.bytes");
    assertThat(Settings.keyToEnv("vigil.proxy.max-body.bytes")).isEqualTo("VIGIL_PROXY_MAX__BODY_BYTES");
  }

  @Test
  void shouldFillOnlyMissingKeysFromDefaults() {
    Settings s = Settings.of(Map.of("a", "user")).withDefaults(Map.of("a", "demo", "b", "demo"));
    assertThat(s.get("a", null)).isEqualTo("user");
    assertThat(s.get("b", null)).isEqualTo("demo");
  }
}

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
import dev.vigil.proxy.SecretFingerprintsConfig;

/** {@code vigil.proxy.llm.secret-fingerprints.*}: defaults, overrides, validation naming the key. */
class SecretFingerprintsConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> minimal() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put(ProxyConfig.TLS_CERT_FILE, Files.writeString(dir.resolve("tls.crt"), "cert").toString());
    m.put(ProxyConfig.TLS_KEY_FILE, Files.writeString(dir.resolve("tls.key"), "key").toString());
    m.put(ProxyConfig.UPSTREAM_KUBECONFIG, Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1").toString());
    m.put(ProxyConfig.OIDC_ISSUER, "https://issuer.example");
    return m;
  }

  @Test
  void shouldDefaultToOneHourAThousandPerSessionAndTenThousandSessions() throws Exception {
    ProxyConfig c = ProxyConfig.from(Settings.of(minimal()));

    assertThat(c.secretFingerprints()).isEqualTo(new SecretFingerprintsConfig(Duration.ofHours(1), 1000, 10_000));
    assertThat(c.toString()).contains("secretFingerprints=SecretFingerprintsConfig[ttl=PT1H");
  }

  @Test
  void shouldReadOverrides() throws Exception {
    Map<String, String> m = minimal();
    m.put(ProxyConfig.LLM_SECRET_FINGERPRINTS_TTL, "15m");
    m.put(ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_PER_SESSION, "50");
    m.put(ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_SESSIONS, "200");

    assertThat(ProxyConfig.from(Settings.of(m)).secretFingerprints())
        .isEqualTo(new SecretFingerprintsConfig(Duration.ofMinutes(15), 50, 200));
  }

  @Test
  void shouldNameTheKeyOfABadValue() throws Exception {
    Map<String, String> bad = Map.of(ProxyConfig.LLM_SECRET_FINGERPRINTS_TTL, "0s",
        ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_PER_SESSION, "0",
        ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_SESSIONS, "lots");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Map<String, String> m = minimal();
      m.put(e.getKey(), e.getValue());
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).as(e.getKey()).isInstanceOf(ConfigException.class)
          .hasMessageContaining(e.getKey());
    }
  }
}

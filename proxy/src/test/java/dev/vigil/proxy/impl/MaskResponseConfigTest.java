package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.proxy.ProxyConfig;

/** {@code vigil.proxy.max-masked-response-bytes}: default, override, validation naming the key. */
class MaskResponseConfigTest {

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
  void shouldDefaultTo16MiB() throws Exception {
    ProxyConfig c = ProxyConfig.from(Settings.of(minimal()));

    assertThat(c.maxMaskedResponseBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(GatewayLimits.from(c).maxMaskedResponseBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.toString()).contains("maxMaskedResponseBytes=16777216");
  }

  @Test
  void shouldReadAnOverride() throws Exception {
    Map<String, String> m = minimal();
    m.put(ProxyConfig.MAX_MASKED_RESPONSE_BYTES, "1048576");

    assertThat(GatewayLimits.from(ProxyConfig.from(Settings.of(m))).maxMaskedResponseBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void shouldNameTheKeyOfABadValue() throws Exception {
    for (String bad : new String[] {"-1", "lots", "1073741824"}) {
      Map<String, String> m = minimal();
      m.put(ProxyConfig.MAX_MASKED_RESPONSE_BYTES, bad);
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class)
          .hasMessageContaining(ProxyConfig.MAX_MASKED_RESPONSE_BYTES);
    }
  }
}

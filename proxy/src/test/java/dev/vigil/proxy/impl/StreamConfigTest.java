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

/** The stream-recording, recording-queue and server idle keys: defaults, overrides, validation naming the key. */
class StreamConfigTest {

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
  void shouldApplyTheDocumentedDefaults() throws Exception {
    ProxyConfig c = ProxyConfig.from(Settings.of(minimal()));
    GatewayLimits limits = GatewayLimits.from(c);

    assertThat(c.serverIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.recordingQueueMaxEvents()).isEqualTo(10_000);
    assertThat(c.recordingQueueMaxBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(limits.streams()).isEqualTo(new StreamLimits(10_000, 16 * 1024, 100, 4096));
    assertThat(limits.bodyIdleMillis()).isEqualTo(120_000);
    assertThat(c.toString()).contains("streamsMaxFrames=10000", "recordingQueueMaxBytes=67108864");
  }

  @Test
  void shouldReadOverrides() throws Exception {
    Map<String, String> m = minimal();
    m.put(ProxyConfig.SERVER_IDLE_TIMEOUT, "0s");
    m.put(ProxyConfig.STREAMS_MAX_FRAMES, "5");
    m.put(ProxyConfig.STREAMS_MAX_FRAME_BYTES, "0");
    m.put(ProxyConfig.STREAMS_LOG_COALESCE_DELAY, "1s");
    m.put(ProxyConfig.STREAMS_LOG_COALESCE_BYTES, "100");
    m.put(ProxyConfig.RECORDING_QUEUE_MAX_EVENTS, "7");
    m.put(ProxyConfig.RECORDING_QUEUE_MAX_BYTES, "1000");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.serverIdleTimeout()).isZero();
    assertThat(StreamLimits.from(c)).isEqualTo(new StreamLimits(5, 0, 1000, 100));
    assertThat(c.recordingQueueMaxEvents()).isEqualTo(7);
    assertThat(c.recordingQueueMaxBytes()).isEqualTo(1000);
  }

  @Test
  void shouldNameTheBadKey() throws Exception {
    for (String key : new String[] {ProxyConfig.STREAMS_MAX_FRAMES, ProxyConfig.RECORDING_QUEUE_MAX_EVENTS,
        ProxyConfig.RECORDING_QUEUE_MAX_BYTES, ProxyConfig.STREAMS_LOG_COALESCE_BYTES}) {
      Map<String, String> m = minimal();
      m.put(key, "-1");
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
    for (String key : new String[] {ProxyConfig.SERVER_IDLE_TIMEOUT, ProxyConfig.STREAMS_LOG_COALESCE_DELAY}) {
      Map<String, String> m = minimal();
      m.put(key, "-5s");
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
  }
}

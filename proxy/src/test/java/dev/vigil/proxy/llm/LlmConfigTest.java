package dev.vigil.proxy.llm;

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

class LlmConfigTest {

  @TempDir
  Path dir;

  private Path key(String value) throws Exception {
    Path p = dir.resolve("key-" + System.nanoTime());
    Files.writeString(p, value);
    return p;
  }

  @Test
  void shouldEnableNoProviderAndUseTheDefaultLimitsByDefault() {
    LlmConfig c = LlmConfig.from(Settings.of(Map.of()));

    assertThat(c.upstreams()).isEmpty();
    assertThat(c.maxRequestBodyBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(c.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.maxRecordedReplyBytes()).isEqualTo(256 * 1024);
    assertThat(c.maxRecordedRequestBytes()).isEqualTo(256 * 1024);
  }

  @Test
  void shouldEnableAProviderWithItsUrlAndKeyAndNeverShowTheKey() throws Exception {
    LlmConfig c = LlmConfig.from(Settings.of(Map.of(
        "vigil.proxy.llm.anthropic.url", "https://api.anthropic.com",
        "vigil.proxy.llm.anthropic.api-key-file", key("sk-ant-api03-secret-value\n").toString(),
        "vigil.proxy.llm.openai.url", "http://127.0.0.1:8089/base/",
        "vigil.proxy.llm.openai.api-key-file", key("sk-proj-secret-value").toString(),
        "vigil.proxy.llm.stream-idle-timeout", "30s",
        "vigil.proxy.llm.max-request-body-bytes", "1024")));

    assertThat(c.upstreams()).extracting(LlmConfig.Upstream::provider).containsExactly("anthropic", "openai");
    LlmConfig.Upstream anthropic = c.upstreams().get(0);
    assertThat(anthropic.key().value()).isEqualTo("sk-ant-api03-secret-value");
    assertThat(anthropic.ssl()).isTrue();
    assertThat(anthropic.port()).isEqualTo(443);
    assertThat(anthropic.basePath()).isEmpty();
    LlmConfig.Upstream openai = c.upstreams().get(1);
    assertThat(openai.ssl()).isFalse();
    assertThat(openai.port()).isEqualTo(8089);
    assertThat(openai.basePath()).isEqualTo("/base");
    assertThat(c.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxRequestBodyBytes()).isEqualTo(1024);
    assertThat(c.toString()).doesNotContain("secret-value").contains("****").contains("https://api.anthropic.com");
  }

  @Test
  void shouldRefuseMissingOrBadKeysAndInsecureUrls() throws Exception {
    Map<String, String> m = new HashMap<>(Map.of("vigil.proxy.llm.anthropic.url", "https://api.anthropic.com"));
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.llm.anthropic.api-key-file");
    m.put("vigil.proxy.llm.anthropic.api-key-file", key("  \n").toString());
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("empty key file");
    m.put("vigil.proxy.llm.anthropic.api-key-file", key("line1\nline2").toString());
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("one line")
        .message().doesNotContain("line1");
    m.put("vigil.proxy.llm.anthropic.api-key-file", dir.resolve("missing").toString());
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("cannot be read");
    m.put("vigil.proxy.llm.anthropic.api-key-file", key("k").toString());
    m.put("vigil.proxy.llm.anthropic.url", "http://api.anthropic.com");
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("must use https");
    m.put("vigil.proxy.llm.anthropic.url", "https://api.anthropic.com/?x=1");
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("no query");
    m.put("vigil.proxy.llm.anthropic.url", "https://api.anthropic.com");
    m.put("vigil.proxy.llm.stream-idle-timeout", "0s");
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("stream-idle-timeout");
    m.remove("vigil.proxy.llm.stream-idle-timeout");
    m.put("vigil.proxy.llm.max-recorded-reply-bytes", String.valueOf(LlmConfig.MAX_RECORDED_CAP + 1));
    assertThatThrownBy(() -> LlmConfig.from(Settings.of(m))).hasMessageContaining("max-recorded-reply-bytes");
  }
}

package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The "ready" banner tells how to point Claude Code and the demo agent at the gateway, and shows no credential. */
class DemoBannerTest {

  @Test
  void shouldPrintTheClaudeCodeSetUpWithoutAnyToken() {
    Path dir = Path.of("").toAbsolutePath().resolve(".vigil/demo");
    Demo.Endpoints e = new Demo.Endpoints(dir, dir.resolve("kubeconfig"), dir.resolve("analyst.token"),
        dir.resolve("agent.token"), dir.resolve("ca.crt"), "https://127.0.0.1:8443", "http://127.0.0.1:8081",
        "http://127.0.0.1:8180", "https://127.0.0.1:40001", "http://127.0.0.1:40002", "127.0.0.1:9092",
        "http://127.0.0.1:9200", "agent-token-value", "analyst-token-value", 12_345);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoBanner.print(e, new PrintStream(out, true, StandardCharsets.UTF_8));
    String banner = out.toString(StandardCharsets.UTF_8);

    assertThat(banner)
        .contains("export ANTHROPIC_BASE_URL=https://127.0.0.1:8443/llm/anthropic")
        .contains("export ANTHROPIC_AUTH_TOKEN=$(cat .vigil/demo/agent.token)")
        .contains("export NODE_EXTRA_CA_CERTS=.vigil/demo/ca.crt")
        .contains("export KUBECONFIG=.vigil/demo/kubeconfig")
        .contains("./vigil demo-agent")
        .contains("llm-sim (LLM upstream, dev only)   http://127.0.0.1:40002")
        .doesNotContain("agent-token-value")
        .doesNotContain("analyst-token-value");
  }
}

package dev.vigil.app;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.vigil.common.Settings;
import dev.vigil.llmsim.LlmSim;
import dev.vigil.llmsim.LlmSimOptions;
import io.vertx.core.Vertx;

/**
 * The demo's LLM upstream: llm-sim (a simulator with a scripted model — no language model, development only) on
 * loopback, plain HTTP, requiring a provider API key generated at every start. The key is written owner-only to
 * {@code <demo dir>/gateway/llm-provider.key}, a file only the proxy reads (the agent never sees it), and the proxy's
 * Anthropic and OpenAI upstreams are pointed at the simulator with the {@code vigil.proxy.llm.*} keys — as defaults,
 * so {@code --set vigil.proxy.llm.anthropic.url=https://api.anthropic.com} and a real key file take precedence.
 */
final class DemoLlm {

  static final String ANTHROPIC_URL = "vigil.proxy.llm.anthropic.url";
  static final String ANTHROPIC_KEY_FILE = "vigil.proxy.llm.anthropic.api-key-file";
  static final String OPENAI_URL = "vigil.proxy.llm.openai.url";
  static final String OPENAI_KEY_FILE = "vigil.proxy.llm.openai.api-key-file";
  /** The pause between two SSE events, so that streaming is visible in a terminal. */
  static final Duration CHUNK_DELAY = Duration.ofMillis(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LlmSim sim;
  private final Path keyFile;

  private DemoLlm(LlmSim sim, Path keyFile) {
    this.sim = sim;
    this.keyFile = keyFile;
  }

  static DemoLlm start(Vertx vertx, Settings s, Path demoDir) throws IOException {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String key = "sk-llmsim-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path keyFile = demoDir.resolve("gateway").resolve("llm-provider.key");
    Kubeconfigs.writePrivate(keyFile, key);
    LlmSim sim = Demo.await(LlmSim.start(vertx, new LlmSimOptions()
        .setHost("127.0.0.1")
        .setPort(s.getPort("vigil.demo.llm-sim.port", 0))
        .setApiKey(key)
        .setStreamChunkDelay(CHUNK_DELAY)
        .setLogRequests(true)));
    return new DemoLlm(sim, keyFile);
  }

  String url() {
    return sim.url();
  }

  Path keyFile() {
    return keyFile;
  }

  /** The proxy's LLM upstream settings (a proxy without the LLM channel ignores keys it does not know). */
  Map<String, String> proxySettings() {
    return Map.of(
        ANTHROPIC_URL, sim.url(),
        ANTHROPIC_KEY_FILE, keyFile.toString(),
        OPENAI_URL, sim.url(),
        OPENAI_KEY_FILE, keyFile.toString());
  }

  void close() {
    Demo.await(sim.close());
  }
}

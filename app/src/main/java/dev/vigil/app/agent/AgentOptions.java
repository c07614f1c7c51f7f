package dev.vigil.app.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code vigil demo-agent} arguments.
 *
 * @param dir        the demo directory ({@code .vigil/demo})
 * @param kubeconfig the agent's kubeconfig: API server (the proxy), CA and OIDC token ({@code <dir>/kubeconfig})
 * @param llmUrl     the Anthropic API base URL; null = the proxy's {@code /llm/anthropic}
 * @param llmKeyFile a provider API key to send as {@code x-api-key} instead of the OIDC token (development only:
 *                   talking to llm-sim directly); null = the OIDC token as {@code Authorization: Bearer}
 * @param model      the model name to ask for
 * @param session    the {@code X-Vigil-Session} value; null = {@code demo-agent-<n>}, n counting runs
 * @param kubectl    the kubectl binary
 */
record AgentOptions(Path dir, Path kubeconfig, String llmUrl, Path llmKeyFile, String model, String session,
    String kubectl) {

  static final String DEFAULT_MODEL = "claude-sonnet-4-5-20250929";

  static final String USAGE = String.join("\n",
      "usage: vigil demo-agent [--dir DIR] [--kubeconfig FILE] [--llm-url URL [--llm-key-file FILE]]",
      "                        [--model NAME] [--session NAME] [--kubectl PATH]",
      "",
      "A scripted agent for a running `vigil demo`: asks the model (streaming Messages API) through the proxy's",
      "/llm/anthropic route with the agent's OIDC token, runs the kubectl commands it returns through the proxy,",
      "sends the results back, then reads a Secret and pastes its value into a prompt, which the gateway should refuse.",
      "",
      "  --dir DIR           the demo directory (default .vigil/demo)",
      "  --kubeconfig FILE   the agent's kubeconfig (default DIR/kubeconfig): the proxy, the demo CA, the agent's token",
      "  --llm-url URL       another Anthropic API base URL, e.g. llm-sim's own (printed by the demo) to try the agent",
      "                      without the gateway's LLM route",
      "  --llm-key-file FILE with --llm-url: send this provider key as x-api-key instead of the OIDC token",
      "                      (DIR/gateway/llm-provider.key for llm-sim; development only)",
      "  --model NAME        default " + DEFAULT_MODEL,
      "  --session NAME      X-Vigil-Session of every call (default demo-agent-<n>)",
      "  --kubectl PATH      the kubectl binary (default kubectl)");

  static AgentOptions parse(List<String> args) {
    Path dir = Path.of(".vigil", "demo");
    Path kubeconfig = null;
    String llmUrl = null;
    Path keyFile = null;
    String model = DEFAULT_MODEL;
    String session = null;
    String kubectl = "kubectl";
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unexpected argument '" + a + "'");
      }
      String v = args.get(++i);
      switch (a) {
        case "--dir": dir = Path.of(v); break;
        case "--kubeconfig": kubeconfig = Path.of(v); break;
        case "--llm-url": llmUrl = v; break;
        case "--llm-key-file": keyFile = Path.of(v); break;
        case "--model": model = v; break;
        case "--session": session = v; break;
        case "--kubectl": kubectl = v; break;
        default: throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (keyFile != null && llmUrl == null) {
      throw new IllegalArgumentException("--llm-key-file goes with --llm-url (the proxy takes the agent's token)");
    }
    return new AgentOptions(dir, kubeconfig == null ? dir.resolve("kubeconfig") : kubeconfig, llmUrl, keyFile, model,
        session, kubectl);
  }

  /** Whether the LLM calls go straight to a provider (no gateway in between to refuse anything). */
  boolean direct() {
    return llmKeyFile != null;
  }
}

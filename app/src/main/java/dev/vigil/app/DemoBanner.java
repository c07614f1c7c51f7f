package dev.vigil.app;

import java.io.PrintStream;
import java.nio.file.Path;

import dev.vigil.schema.Topics;

/** The "Vigil demo ready" banner: where each part listens, what was written, and what to try. */
final class DemoBanner {

  private DemoBanner() {}

  static void print(Demo.Endpoints e, PrintStream out) {
    Path cwd = Path.of("").toAbsolutePath();
    String kc = rel(cwd, e.kubeconfig());
    String tok = rel(cwd, e.analystToken());
    out.println();
    out.println("Vigil demo ready in " + String.format("%.1f", e.readyMillis() / 1000.0) + " s");
    out.println("  proxy (Kubernetes API for agents)  " + e.proxyUrl());
    out.println("  proxy (LLM APIs for agents)        " + e.proxyUrl() + "/llm/anthropic, " + e.proxyUrl()
        + "/llm/openai");
    out.println("  query API (analysts)               " + e.queryUrl());
    out.println("  dev OIDC issuer                    " + e.issuerUrl());
    out.println("  kube-sim (upstream, dev only)      " + e.kubeSimUrl());
    out.println("  llm-sim (LLM upstream, dev only)   " + e.llmSimUrl() + "   (a scripted model, not a language model;"
        + " its key is in " + rel(cwd, e.dir().resolve("gateway")) + "/, for the proxy only)");
    out.println("  Kafka bootstrap                    " + e.kafkaBootstrap() + "   topic " + Topics.EVENTS);
    out.println("  OpenSearch                         " + e.openSearchUrl());
    out.println("  stream processors                  sessions on " + Topics.SESSIONS + ", alerts on " + Topics.ALERTS
        + "   (signatures verify with " + rel(cwd, DemoStreams.publicKey(e.dir())) + ");");
    out.println("                                     alerts are also POSTed to a signed demo webhook that prints them here");
    out.println("  agent kubeconfig                   " + kc + "   (identity agent-1, group ai-agents; the same token"
        + " alone in " + rel(cwd, e.agentTokenFile()) + ")");
    out.println("  analyst token                      " + tok + "   (identity analyst-1, group vigil-analysts)");
    out.println();
    out.println("Try:");
    out.println("  kubectl --kubeconfig " + kc + " get pods -n payments");
    out.println("  kubectl --kubeconfig " + kc + " exec -n payments deploy/payments-api -- env      # strict rule; raises exec-into-pod");
    out.println("  curl -s -H \"Authorization: Bearer $(cat " + tok + ")\" '" + e.queryUrl()
        + "/api/v1/events?namespace=payments&size=5'");
    out.println("  curl -s -H \"Authorization: Bearer $(cat " + tok + ")\" '" + e.queryUrl()
        + "/api/v1/sessions/agent-1/events'");
    out.println("  curl -s -H \"Authorization: Bearer $(cat " + tok + ")\" '" + e.queryUrl()
        + "/api/v1/sessions?identity=agent-1'          # sessions; then /api/v1/sessions/<id>/transcript");
    out.println("  open " + e.queryUrl() + "/ and paste the analyst token   # the analyst UI");
    out.println("  ./vigil demo-agent        # a scripted agent: asks the model through the proxy, runs its kubectl"
        + " calls, then pastes a Secret into a prompt");
    out.println();
    out.println("Claude Code through Vigil (the model behind it is llm-sim's script):");
    out.println("  export ANTHROPIC_BASE_URL=" + e.proxyUrl() + "/llm/anthropic");
    out.println("  export ANTHROPIC_AUTH_TOKEN=$(cat " + rel(cwd, e.agentTokenFile()) + ")   # the agent's OIDC token,"
        + " not a provider key");
    out.println("  export NODE_EXTRA_CA_CERTS=" + rel(cwd, e.caCert()) + "   # trust the demo CA (the proxy's TLS)");
    out.println("  export KUBECONFIG=" + kc + "   # so that the kubectl commands it runs go through Vigil too");
    out.println("  claude");
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  static String rel(Path cwd, Path p) {
    return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
  }
}

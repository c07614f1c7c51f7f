package dev.vigil.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import dev.vigil.app.agent.AgentTrust;
import dev.vigil.app.agent.DemoAgent;

/** The demo's LLM channel from the outside: does the proxy route LLM calls, and the scripted agent's run. */
final class DemoLlmChecks {

  private DemoLlmChecks() {}

  record AgentRun(int exit, String out) {}

  /** Whether the proxy answers {@code /llm/anthropic/v1/models} with a model list (the LLM route of issue 7). */
  static boolean proxyHasLlmRoute(Demo.Endpoints ep) throws Exception {
    HttpClient tls = HttpClient.newBuilder().sslContext(AgentTrust.sslContext(Files.readString(ep.caCert()))).build();
    HttpResponse<String> probe = tls.send(HttpRequest.newBuilder(URI.create(ep.proxyUrl() + "/llm/anthropic/v1/models"))
        .header("Authorization", "Bearer " + ep.agentToken()).header("anthropic-version", "2023-06-01").build(),
        HttpResponse.BodyHandlers.ofString());
    return probe.statusCode() == 200 && probe.body().contains("\"data\"");
  }

  static AgentRun demoAgent(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = DemoAgent.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    return new AgentRun(exit, out.toString(StandardCharsets.UTF_8));
  }
}

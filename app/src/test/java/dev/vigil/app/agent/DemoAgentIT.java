package dev.vigil.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.llmsim.LlmSim;
import dev.vigil.llmsim.LlmSimOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The demo agent with the real kubectl, without a gateway: kubectl (through the agent's session relay) against
 * kube-sim, the model calls straight to llm-sim with a provider key ({@code --llm-url}, {@code --llm-key-file}).
 * What goes through the proxy is covered once the proxy has its LLM route (see app/README.md).
 */
class DemoAgentIT {

  private static final String UPSTREAM_TOKEN = "kube-sim-token";
  private static final String PROVIDER_KEY = "sk-llmsim-it";
  private static final String PASSWORD = "s3cr3t-p@ssw0rd"; // DemoSeed's payments-db password

  private static Vertx vertx;
  private static KubeSim kubeSim;
  private static LlmSim llmSim;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    kubeSim = await(KubeSim.start(vertx, new KubeSimOptions().addToken(UPSTREAM_TOKEN).setSeedDemo(true)));
    llmSim = await(LlmSim.start(vertx, new LlmSimOptions().setApiKey(PROVIDER_KEY)));
    dir = Files.createTempDirectory("vigil-demo-agent-it");
    Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n"
        + "    server: " + kubeSim.url() + "\nusers:\n- name: agent\n  user:\n    token: " + UPSTREAM_TOKEN
        + "\ncontexts:\n- name: sim\n  context: {cluster: sim, user: agent}\ncurrent-context: sim\n");
    Files.writeString(dir.resolve("llm-provider.key"), PROVIDER_KEY);
  }

  @AfterAll
  static void stop() {
    await(llmSim.close());
    await(kubeSim.close());
    await(vertx.close());
  }

  private record Run(int exit, String out, String err) {}

  private static Run agent(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = DemoAgent.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void shouldAskRunKubectlFeedBackAndPasteTheSecretWithTheSessionEverywhere() {
    kubeSim.clearRequests();
    llmSim.clearRequests();
    Run run = agent("--dir", dir.toString(), "--llm-url", llmSim.url(), "--llm-key-file",
        dir.resolve("llm-provider.key").toString(), "--session", "demo-agent-it");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("tool_use  kubectl {\"command\":\"kubectl get pods -n payments\"}")
        .contains("$ kubectl get pods -n payments")
        .contains("payments-api-")
        .contains("`kubectl get pods -n payments` lists ")
        .contains("tool_use  kubectl {\"command\":\"kubectl get deployments -n payments\"}")
        .contains("<the payments-db password, " + PASSWORD.length() + " characters")
        .contains("Not refused: this run talks to the provider directly")
        .doesNotContain(PASSWORD);

    List<RecordedRequest> kube = kubeSim.requests();
    assertThat(kube).isNotEmpty().allSatisfy(r -> {
      assertThat(r.header("X-Vigil-Session")).isEqualTo("demo-agent-it");
      assertThat(r.header("Authorization")).isEqualTo("Bearer " + UPSTREAM_TOKEN);
    });
    assertThat(kube).anyMatch(r -> r.path().equals("/api/v1/namespaces/payments/secrets/payments-db"));

    List<dev.vigil.llmsim.RecordedRequest> llm = llmSim.requests();
    assertThat(llm).hasSize(5).allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/messages");
      assertThat(r.header("X-Vigil-Session")).isEqualTo("demo-agent-it");
      assertThat(r.header("x-api-key")).isEqualTo(PROVIDER_KEY);
      assertThat(new JsonObject(r.body()).getBoolean("stream")).isTrue();
    });
    JsonObject second = new JsonObject(llm.get(1).body());
    JsonObject toolResult = second.getJsonArray("messages").getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertThat(toolResult.getString("type")).isEqualTo("tool_result");
    assertThat(toolResult.getString("content")).contains("NAME").contains("payments-api-");
    assertThat(llm.get(4).body()).contains(PASSWORD);
  }

  @Test
  void shouldExplainAGatewayWithoutAnLlmRoute() {
    // kube-sim stands in for a proxy without the LLM channel: /llm/anthropic/v1/messages is a 404 Status there
    Run run = agent("--dir", dir.toString(), "--llm-url", kubeSim.url() + "/llm/anthropic", "--session", "x");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("kubernetes-status").contains("this proxy has no LLM route yet");
  }

  @Test
  void shouldNumberSessionsPerDemoDirectory() throws Exception {
    Path d = Files.createTempDirectory("vigil-agent-sessions");
    assertThat(DemoAgent.nextSession(d)).isEqualTo("demo-agent-1");
    assertThat(DemoAgent.nextSession(d)).isEqualTo("demo-agent-2");
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

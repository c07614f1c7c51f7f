package dev.vigil.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What the demo agent refuses to run, and how it splits a command line. */
class KubectlToolTest {

  @Test
  void shouldSplitLikeAShellWithoutExpanding() {
    assertThat(Words.split("kubectl get secret x -o 'jsonpath={.data.a b}' -l \"app=x y\" a\\ b $HOME"))
        .containsExactly("kubectl", "get", "secret", "x", "-o", "jsonpath={.data.a b}", "-l", "app=x y", "a b",
            "$HOME");
    assertThatThrownBy(() -> Words.split("kubectl get 'pods")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRunOnlyPlainKubectlCommandsAgainstTheAgentsCluster() {
    assertThat(KubectlTool.refusal(Words.split("kubectl get pods -n payments"))).isNull();
    assertThat(KubectlTool.refusal(Words.split(DemoAgent.SECRET_COMMAND))).isNull();
    assertThat(KubectlTool.refusal(Words.split("kubectl -n payments logs deploy/payments-api --tail=5"))).isNull();
    assertThat(KubectlTool.refusal(Words.split("rm -rf /"))).contains("only kubectl");
    assertThat(KubectlTool.refusal(Words.split("kubectl get pods | sh"))).contains("no shell syntax");
    assertThat(KubectlTool.refusal(Words.split("kubectl get pods $(id)"))).contains("no shell syntax");
    assertThat(KubectlTool.refusal(Words.split("kubectl --token=abc get pods"))).contains("--token");
    assertThat(KubectlTool.refusal(Words.split("kubectl get pods --kubeconfig /tmp/k"))).contains("--kubeconfig");
    assertThat(KubectlTool.refusal(Words.split("kubectl apply -f /etc/passwd"))).contains("-f");
    assertThat(KubectlTool.refusal(Words.split("kubectl get pods -w"))).contains("-w");
    assertThat(KubectlTool.refusal(Words.split("kubectl -n payments exec deploy/x -- env"))).contains("exec");
    assertThat(KubectlTool.refusal(Words.split("kubectl"))).contains("needs a command");
  }

  @Test
  void shouldReturnTheRefusalToTheModelWithoutRunningAnything() throws Exception {
    KubectlTool tool = new KubectlTool(Path.of("/nonexistent/kubeconfig"), "/nonexistent/kubectl");
    KubectlTool.Result r = tool.run("bash -c 'cat ~/.kube/config'");
    assertThat(r.ok()).isFalse();
    assertThat(r.forModel()).startsWith("refused by the agent: only kubectl commands");
    assertThat(tool.run("kubectl get 'pods").refused()).contains("unterminated");
  }

  @Test
  void shouldParseOptions() {
    AgentOptions o = AgentOptions.parse(List.of("--dir", "/d", "--model", "m"));
    assertThat(o.kubeconfig()).isEqualTo(Path.of("/d/kubeconfig"));
    assertThat(o.direct()).isFalse();
    assertThatThrownBy(() -> AgentOptions.parse(List.of("--llm-key-file", "k")))
        .hasMessageContaining("--llm-url");
    assertThatThrownBy(() -> AgentOptions.parse(List.of("--nope", "x"))).hasMessageContaining("unknown option");
  }
}

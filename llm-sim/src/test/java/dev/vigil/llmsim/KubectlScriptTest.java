package dev.vigil.llmsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default scripted model's rules. */
class KubectlScriptTest {

  private final KubectlScript script = new KubectlScript();

  private static ModelRequest ask(String text, List<String> tools) {
    return new ModelRequest(ModelRequest.Provider.ANTHROPIC, "m", false, 1024, "",
        List.of(new ModelRequest.Turn("user", text, List.of(), List.of())), tools, new JsonObject());
  }

  @Test
  void shouldMapQuestionsToKubectlCommands() {
    assertThat(KubectlScript.command("which pods are running in the payments namespace?"))
        .isEqualTo("kubectl get pods -n payments");
    assertThat(KubectlScript.command("list deployments in namespace kube-system")).isEqualTo(
        "kubectl get deployments -n kube-system");
    assertThat(KubectlScript.command("what services exist in all namespaces")).isEqualTo("kubectl get services -A");
    assertThat(KubectlScript.command("show the config maps -n default")).isEqualTo("kubectl get configmaps -n default");
    assertThat(KubectlScript.command("which namespaces are there?")).isEqualTo("kubectl get namespaces");
    assertThat(KubectlScript.command("any secrets?")).isEqualTo("kubectl get secrets -n default");
    assertThat(KubectlScript.command("show me the payments logs")).isEqualTo(
        "kubectl logs deployment/payments-api -n payments --tail=20");
    assertThat(KubectlScript.command("what is the weather like?")).isNull();
  }

  @Test
  void shouldUseTheKubectlToolThenBashThenPlainText() {
    ModelReply withKubectl = script.apply(ask("pods in payments", List.of("kubectl", "Bash")));
    assertThat(withKubectl.blocks().get(1)).isEqualTo(new ModelReply.ToolUse("kubectl",
        new JsonObject().put("command", "kubectl get pods -n payments")));

    ModelReply withBash = script.apply(ask("pods in payments", List.of("Read", "Bash")));
    ModelReply.ToolUse bash = (ModelReply.ToolUse) withBash.blocks().get(1);
    assertThat(bash.name()).isEqualTo("Bash");
    assertThat(bash.input().getString("command")).isEqualTo("kubectl get pods -n payments");

    ModelReply noTools = script.apply(ask("pods in payments", List.of()));
    assertThat(noTools.hasToolUse()).isFalse();
    assertThat(((ModelReply.Text) noTools.blocks().get(0)).text()).contains("`kubectl get pods -n payments`");
  }

  @Test
  void shouldIgnoreClaudeCodeSystemRemindersAndWarnAboutPastedCredentials() {
    ModelReply reply = script.apply(ask("<system-reminder>pods nodes events</system-reminder>\nhello", List.of()));
    assertThat(((ModelReply.Text) reply.blocks().get(0)).text()).isEqualTo(KubectlScript.HELP);
    ModelReply pasted = script.apply(ask("The database password is hunter2, is it strong?", List.of("kubectl")));
    assertThat(((ModelReply.Text) pasted.blocks().get(0)).text()).isEqualTo(KubectlScript.CREDENTIAL_WARNING);
  }

  @Test
  void shouldReportAFailedToolCall() {
    JsonObject input = new JsonObject().put("command", "kubectl get secrets -n kube-system");
    ModelRequest r = new ModelRequest(ModelRequest.Provider.OPENAI, "m", false, 1024, "", List.of(
        new ModelRequest.Turn("user", "secrets in kube-system", List.of(), List.of()),
        new ModelRequest.Turn("assistant", "", List.of(new ModelRequest.ToolCall("c1", "kubectl", input)), List.of()),
        new ModelRequest.Turn("user", "", List.of(), List.of(new ModelRequest.ToolResult("c1",
            "Error from server (Forbidden): Vigil policy denied this request", true)))), List.of(), new JsonObject());

    String text = ((ModelReply.Text) script.apply(r).blocks().get(0)).text();
    assertThat(text).startsWith("`kubectl get secrets -n kube-system` failed: Error from server (Forbidden)");
  }
}

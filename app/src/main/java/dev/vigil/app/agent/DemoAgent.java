package dev.vigil.app.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code vigil demo-agent}: a scripted coding agent against a running demo. It asks the model — streaming Messages
 * API, through the proxy's {@code /llm/anthropic} with the agent's OIDC token and {@code X-Vigil-Session:
 * demo-agent-<n>} — a couple of questions about the cluster, runs every {@code kubectl} tool call with the real
 * kubectl through the proxy (same identity and session, see {@link SessionRelay}), sends the outputs back as
 * tool results, and prints the conversation. Then it reads the {@code payments-db} password itself and pastes it
 * into its next prompt: the gateway must refuse that (403 {@code permission_error}, guardrail
 * {@code no-secret-in-llm-prompt}). Development only. Exit 0 when the run went as expected.
 */
public final class DemoAgent {

  static final List<String> QUESTIONS = List.of(
      "Which pods are running in the payments namespace?",
      "What deployments are there in the payments namespace?");
  static final String SECRET_COMMAND = "kubectl get secret payments-db -n payments -o jsonpath={.data.password}";
  static final String GUARDRAIL = "no-secret-in-llm-prompt";
  static final String SYSTEM = "You are a careful Kubernetes operations assistant. Use the kubectl tool to look at "
      + "the cluster; never ask for or repeat credentials.";
  static final JsonObject KUBECTL_TOOL = new JsonObject().put("name", "kubectl")
      .put("description", "Run one kubectl command against the cluster (no shell) and return its output")
      .put("input_schema", new JsonObject().put("type", "object")
          .put("properties", new JsonObject().put("command", new JsonObject().put("type", "string")
              .put("description", "the full command, starting with kubectl")))
          .put("required", new JsonArray().add("command")));
  private static final int MAX_ROUNDS = 4;

  private final AgentOptions options;
  private final MessagesClient llm;
  private final KubectlTool kubectl;
  private final Transcript transcript;
  private final JsonArray messages = new JsonArray();

  private DemoAgent(AgentOptions options, MessagesClient llm, KubectlTool kubectl, Transcript transcript) {
    this.options = options;
    this.llm = llm;
    this.kubectl = kubectl;
    this.transcript = transcript;
  }

  /** Runs the agent; returns the exit code (0 as expected, 1 failed, 2 usage). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println(AgentOptions.USAGE);
      return 0;
    }
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("vigil demo-agent: " + e.getMessage());
      err.println(AgentOptions.USAGE);
      return 2;
    }
    if (!Files.isReadable(options.kubeconfig())) {
      err.println("vigil demo-agent: no kubeconfig at " + options.kubeconfig() + ": start `./vigil demo` first "
          + "(or give --dir / --kubeconfig)");
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    Path tmp = null;
    try {
      AgentKubeconfig kc = AgentKubeconfig.read(options.kubeconfig());
      String session = options.session() != null ? options.session() : nextSession(options.dir());
      String llmUrl = options.llmUrl() != null ? options.llmUrl() : kc.server() + "/llm/anthropic";
      boolean sameOrigin = origin(llmUrl).equals(origin(kc.server()));
      MessagesClient.Credential credential = options.direct()
          ? MessagesClient.Credential.apiKey(Files.readString(options.llmKeyFile()).strip())
          : MessagesClient.Credential.bearer(kc.token());
      MessagesClient llm = new MessagesClient(AgentTrust.sslContext(sameOrigin ? kc.caPem() : null), llmUrl,
          credential, session);
      tmp = Files.createTempDirectory("vigil-demo-agent");
      try (SessionRelay relay = SessionRelay.start(vertx, kc, session)) {
        Path relayKubeconfig = writeRelayKubeconfig(tmp, relay);
        Transcript t = new Transcript(out);
        t.line("Vigil demo agent (scripted; development only)");
        t.line("  LLM       " + llmUrl + "   model " + options.model() + ", streaming, "
            + (options.direct() ? "provider key from " + options.llmKeyFile() + " (direct: no gateway in between)"
                : "the agent's OIDC token from " + options.kubeconfig()));
        t.line("  kubectl   " + kc.server() + " with the same token (via a loopback relay that adds the session)");
        t.line("  session   X-Vigil-Session: " + session);
        return new DemoAgent(options, llm, new KubectlTool(relayKubeconfig, options.kubectl()), t).script();
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      err.println("vigil demo-agent: " + e.getMessage()
          + (e instanceof java.net.ConnectException ? " (is `./vigil demo` running?)" : ""));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("vigil demo-agent: interrupted");
      return 1;
    } finally {
      deleteQuietly(tmp, err);
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private int script() throws IOException, InterruptedException {
    int step = 0;
    for (String question : QUESTIONS) {
      transcript.section(++step, "a question about the cluster");
      if (!converse(question)) {
        return 1;
      }
    }
    transcript.section(++step, "the agent reads a Secret itself, then pastes its value into a prompt");
    KubectlTool.Result read = kubectl.run(SECRET_COMMAND);
    transcript.command(read, true);
    if (!read.ok()) {
      transcript.line("error     could not read the Secret: " + read.forModel());
      return 1;
    }
    String password;
    try {
      password = new String(Base64.getMimeDecoder().decode(read.stdout().strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      transcript.line("error     the value is not base64 (did the gateway mask it? maskResponse): " + e.getMessage());
      return 1;
    }
    String prompt = "Here is the payments database password: " + password
        + " -- is it strong enough, or should we rotate it?";
    transcript.user(prompt.replace(password, "<the payments-db password, " + password.length()
        + " characters; sent in clear, not shown here>"));
    messages.add(new JsonObject().put("role", "user").put("content", prompt));
    transcript.assistant();
    MessagesClient.Reply reply = llm.send(body(), transcript::text);
    return verdict(reply);
  }

  private int verdict(MessagesClient.Reply reply) {
    if (reply.status() == 403 && "permission_error".equals(reply.errorType())
        && Objects.toString(reply.error(), "").contains(GUARDRAIL)) {
      transcript.line(">>> REFUSED by Vigil (403 permission_error): " + reply.error());
      transcript.line(">>> The guardrail " + GUARDRAIL + " recognised a Secret value this session had read; the model"
          + " never saw it. The stream processors raise cross-channel-exfiltration for the session.");
      return 0;
    }
    if (!reply.ok()) {
      transcript.failed(reply);
      hint(reply);
      return 1;
    }
    if (options.direct()) {
      transcript.line(">>> Not refused: this run talks to the provider directly, with no gateway in between.");
      return 0;
    }
    transcript.line(">>> NOT refused: the gateway let a Secret value through to the model (expected a 403 naming "
        + GUARDRAIL + ").");
    return 1;
  }

  /** One user question and the tool-use rounds it takes; false when a call failed. */
  private boolean converse(String question) throws IOException, InterruptedException {
    transcript.user(question);
    messages.add(new JsonObject().put("role", "user").put("content", question));
    for (int round = 0; round < MAX_ROUNDS; round++) {
      transcript.assistant();
      MessagesClient.Reply reply = llm.send(body(), transcript::text);
      if (!reply.ok()) {
        transcript.failed(reply);
        hint(reply);
        return false;
      }
      messages.add(new JsonObject().put("role", "assistant").put("content", reply.content()));
      JsonArray results = new JsonArray();
      for (Object o : reply.content()) {
        JsonObject block = (JsonObject) o;
        if ("tool_use".equals(block.getString("type"))) {
          results.add(runTool(block));
        }
      }
      if (results.isEmpty() || !"tool_use".equals(reply.stopReason())) {
        return true;
      }
      messages.add(new JsonObject().put("role", "user").put("content", results));
    }
    transcript.line("(stopping after " + MAX_ROUNDS + " model calls for one question)");
    return true;
  }

  private JsonObject runTool(JsonObject toolUse) throws IOException, InterruptedException {
    JsonObject input = toolUse.getJsonObject("input", new JsonObject());
    transcript.toolUse(toolUse.getString("name"), input);
    KubectlTool.Result r = "kubectl".equals(toolUse.getString("name"))
        ? kubectl.run(input.getString("command", ""))
        : new KubectlTool.Result(toolUse.getString("name"), -1, "", "", "the agent has no tool of that name");
    transcript.command(r, false);
    return new JsonObject().put("type", "tool_result").put("tool_use_id", toolUse.getString("id"))
        .put("content", r.forModel()).put("is_error", !r.ok());
  }

  private JsonObject body() {
    return new JsonObject().put("model", options.model()).put("max_tokens", 1024).put("system", SYSTEM)
        .put("tools", new JsonArray().add(KUBECTL_TOOL)).put("messages", messages.copy());
  }

  private void hint(MessagesClient.Reply reply) {
    if ("kubernetes-status".equals(reply.errorType())) {
      transcript.line("hint      the gateway answered in Kubernetes format: this proxy has no LLM route yet. Try the"
          + " agent against llm-sim directly: --llm-url <llm-sim URL from the demo banner> --llm-key-file "
          + options.dir().resolve("gateway").resolve("llm-provider.key"));
    } else if (reply.status() == 401) {
      transcript.line("hint      the token was refused: restart `./vigil demo` (tokens last 12 h) or check --llm-key-file");
    }
  }

  private static Path writeRelayKubeconfig(Path dir, SessionRelay relay) throws IOException {
    String ca = Base64.getEncoder().encodeToString(relay.caPem().getBytes(StandardCharsets.US_ASCII));
    String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: relay\n  cluster:\n    server: " + relay.url()
        + "\n    certificate-authority-data: " + ca + "\nusers:\n- name: agent\n  user:\n    token: " + relay.secret() + "\ncontexts:\n- name: relay\n  context:\n"
        + "    cluster: relay\n    user: agent\ncurrent-context: relay\n";
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, yaml, StandardCharsets.UTF_8); // dir is owner-only (createTempDirectory)
    return file;
  }

  /** {@code demo-agent-<n>}, n counting this demo directory's agent runs. */
  static String nextSession(Path dir) throws IOException {
    Path counter = dir.resolve("demo-agent.runs");
    int n = 1;
    if (Files.exists(counter)) {
      try {
        n = Integer.parseInt(Files.readString(counter).strip()) + 1;
      } catch (NumberFormatException e) {
        n = 1; // a damaged counter restarts the numbering
      }
    }
    Files.createDirectories(dir);
    Files.writeString(counter, n + "\n", StandardCharsets.UTF_8);
    return "demo-agent-" + n;
  }

  private static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
  }

  private static void deleteQuietly(Path dir, PrintStream err) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      err.println("vigil demo-agent: could not delete " + dir + ": " + e.getMessage());
    }
  }
}

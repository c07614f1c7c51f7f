package dev.vigil.llmsim;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default scripted "model" — rules, not a language model. For a question about the cluster (pods, deployments,
 * services, config maps, secrets, events, nodes, logs, namespaces) it answers with a short text and a tool call of
 * the caller's {@code kubectl} tool ({@code {"command": "kubectl get pods -n payments"}}), or of Claude Code's
 * {@code Bash} tool when that is what is offered, or with the command as text when no tool is offered. When the
 * caller sends tool results it summarizes the last one (a {@code kubectl get} table: count, names, statuses).
 * Anything else gets a fixed help text. Deterministic: the same request always gets the same reply.
 */
public final class KubectlScript implements Function<ModelRequest, ModelReply> {

  /** The tool name the script calls. */
  public static final String TOOL = "kubectl";
  /** Claude Code's shell tool, used when no {@value #TOOL} tool is offered. */
  public static final String BASH_TOOL = "Bash";
  static final String HELP = "I am llm-sim's scripted model (a simulator, not a language model). Ask me about the "
      + "pods, deployments, services, config maps, secrets, events, nodes, logs or namespaces of the cluster and "
      + "I will run kubectl for you.";
  static final String CREDENTIAL_WARNING = "That looks like a credential. Please do not paste passwords or tokens "
      + "into a conversation with a model: rotate it, and let the application read it from its Secret.";

  private static final Pattern REMINDERS = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");
  private static final Pattern NS_FLAG = Pattern.compile("(?:-n|--namespace)[ =]([a-z0-9][a-z0-9-]*)");
  private static final Pattern NS_AFTER = Pattern.compile("namespace[s]? ([a-z0-9][a-z0-9-]*)");
  private static final Pattern NS_BEFORE = Pattern.compile("([a-z0-9][a-z0-9-]*) namespace");
  private static final List<String> NOT_NAMES = List.of("the", "a", "an", "this", "that", "which", "what", "each",
      "every", "all", "my", "our", "your", "its", "same", "other", "is", "are", "in", "of", "and", "or");
  private static final List<String> KNOWN_NAMESPACES = List.of("payments", "kube-system", "default");
  private static final Pattern CREDENTIAL = Pattern.compile("\\b(password|passwd|token|api key|secret value)\\b");
  private static final Map<Pattern, String> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put(Pattern.compile("\\blogs?\\b"), "logs");
    RESOURCES.put(Pattern.compile("\\bpods?\\b"), "pods");
    RESOURCES.put(Pattern.compile("\\bdeploy(ment)?s?\\b"), "deployments");
    RESOURCES.put(Pattern.compile("\\bservices?\\b|\\bsvc\\b"), "services");
    RESOURCES.put(Pattern.compile("\\bconfig ?maps?\\b"), "configmaps");
    RESOURCES.put(Pattern.compile("\\bsecrets?\\b"), "secrets");
    RESOURCES.put(Pattern.compile("\\bevents?\\b"), "events");
    RESOURCES.put(Pattern.compile("\\bnodes?\\b"), "nodes");
    RESOURCES.put(Pattern.compile("\\bnamespaces?\\b"), "namespaces");
  }

  @Override
  public ModelReply apply(ModelRequest request) {
    List<ModelRequest.ToolResult> results = request.toolResults();
    if (!results.isEmpty()) {
      return ModelReply.text(ToolOutputSummary.summarize(request, results.get(results.size() - 1)));
    }
    String text = REMINDERS.matcher(request.lastUserText()).replaceAll(" ").toLowerCase(Locale.ROOT);
    String command = command(text);
    if (command == null) {
      return ModelReply.text(CREDENTIAL.matcher(text).find() ? CREDENTIAL_WARNING : HELP);
    }
    String intro = "I'll run `" + command + "` to find out.";
    if (request.offersTool(TOOL)) {
      return ModelReply.textThenToolUse(intro, TOOL, new JsonObject().put("command", command));
    }
    if (request.offersTool(BASH_TOOL)) {
      return ModelReply.textThenToolUse(intro, BASH_TOOL,
          new JsonObject().put("command", command).put("description", "Ask the cluster (through Vigil)"));
    }
    return ModelReply.text("You can find out with `" + command + "`.");
  }

  /** The kubectl command for a (lower-case) question, or null when it is not about the cluster. */
  static String command(String text) {
    String resource = null;
    for (Map.Entry<Pattern, String> e : RESOURCES.entrySet()) {
      if (e.getKey().matcher(text).find()) {
        resource = e.getValue();
        break;
      }
    }
    if (resource == null) {
      return null;
    }
    boolean all = text.contains("all namespaces") || text.contains("every namespace");
    String ns = namespace(text);
    switch (resource) {
      case "namespaces":
      case "nodes":
        return "kubectl get " + resource;
      case "logs":
        return logs(ns);
      default:
        return "kubectl get " + resource + (all ? " -A" : " -n " + ns);
    }
  }

  private static String logs(String ns) {
    switch (ns) {
      case "payments": return "kubectl logs deployment/payments-api -n payments --tail=20";
      case "kube-system": return "kubectl logs deployment/coredns -n kube-system --tail=20";
      default: return "kubectl logs nginx -n " + ns + " --tail=20";
    }
  }

  static String namespace(String text) {
    for (Pattern p : List.of(NS_FLAG, NS_AFTER, NS_BEFORE)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        if (!NOT_NAMES.contains(m.group(1))) {
          return m.group(1);
        }
      }
    }
    List<String> found = new ArrayList<>();
    for (String known : KNOWN_NAMESPACES) {
      if (text.contains(known)) {
        found.add(known);
      }
    }
    return found.isEmpty() ? "default" : found.get(0);
  }
}

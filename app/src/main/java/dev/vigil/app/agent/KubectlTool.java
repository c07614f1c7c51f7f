package dev.vigil.app.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The demo agent's only tool: runs a {@code kubectl ...} command the model asked for, with the real kubectl binary
 * and the agent's kubeconfig, never through a shell. Refused (with a reason the model gets back as an error result):
 * anything not starting with {@code kubectl}, shell syntax (pipes, redirections, chains, substitutions), flags that
 * would change the target or the credential, local files, and interactive or never-ending commands. Bounded: 30 s and
 * 64 KiB per stream.
 */
final class KubectlTool {

  static final long TIMEOUT_SECONDS = 30;
  static final int MAX_OUTPUT_BYTES = 64 * 1024;
  private static final Set<String> SHELL = Set.of("|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "2>", "2>&1");
  private static final Set<String> CREDENTIAL_FLAGS = Set.of("--kubeconfig", "--server", "-s", "--token", "--as",
      "--as-group", "--as-uid", "--user", "--context", "--cluster", "--certificate-authority", "--client-certificate",
      "--client-key", "--insecure-skip-tls-verify", "--username", "--password", "--tls-server-name");
  private static final Set<String> LOCAL_OR_ENDLESS_FLAGS = Set.of("-f", "--filename", "-k", "--kustomize", "-w",
      "--watch", "--watch-only", "--follow", "-i", "-t", "-it", "-ti", "--stdin", "--tty");
  private static final Set<String> VALUE_FLAGS = Set.of("-n", "--namespace", "-o", "--output", "-l", "--selector",
      "-c", "--container", "--field-selector", "--request-timeout", "-v");
  /** Interactive, long-running or local-file commands; exec/attach also need a WebSocket the relay does not carry. */
  private static final Set<String> INTERACTIVE = Set.of("attach", "port-forward", "proxy", "edit", "debug", "cp",
      "plugin", "alpha", "exec", "run");

  /** What running a command gave: exit code, stdout, stderr; {@code refused} is non-null when it was not run. */
  record Result(String command, int exit, String stdout, String stderr, String refused) {
    boolean ok() {
      return refused == null && exit == 0;
    }

    /** The text the model gets back as the tool result. */
    String forModel() {
      if (refused != null) {
        return "refused by the agent: " + refused;
      }
      String both = stdout + (stderr.isEmpty() ? "" : (stdout.isEmpty() ? "" : "\n") + stderr);
      return exit == 0 ? both : "exit code " + exit + "\n" + both;
    }
  }

  private final Path kubeconfig;
  private final String kubectl;

  KubectlTool(Path kubeconfig, String kubectl) {
    this.kubeconfig = kubeconfig;
    this.kubectl = kubectl;
  }

  Result run(String command) throws IOException, InterruptedException {
    List<String> words;
    try {
      words = Words.split(command);
    } catch (IllegalArgumentException e) {
      return new Result(command, -1, "", "", e.getMessage());
    }
    String refusal = refusal(words);
    if (refusal != null) {
      return new Result(command, -1, "", "", refusal);
    }
    List<String> argv = new ArrayList<>();
    argv.add(kubectl);
    argv.add("--kubeconfig");
    argv.add(kubeconfig.toString());
    argv.addAll(words.subList(1, words.size()));
    Path out = Files.createTempFile("vigil-agent-", ".out");
    Path err = Files.createTempFile("vigil-agent-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().remove("KUBECONFIG");
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(command, 124, read(out), (read(err) + "\n[stopped after " + TIMEOUT_SECONDS + " s]").strip(),
            null);
      }
      return new Result(command, p.exitValue(), read(out), read(err), null);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Why {@code words} must not run, or null. */
  static String refusal(List<String> words) {
    if (words.isEmpty() || !words.get(0).equals("kubectl")) {
      return "only kubectl commands are run";
    }
    if (words.size() < 2) {
      return "kubectl needs a command";
    }
    for (String w : words) {
      String flag = w.contains("=") && w.startsWith("-") ? w.substring(0, w.indexOf('=')) : w;
      if (SHELL.contains(w) || w.contains("$(") || w.contains("`")) {
        return "no shell syntax (pipes, redirections, chains, substitutions): the command runs without a shell";
      }
      if (CREDENTIAL_FLAGS.contains(flag)) {
        return "flag " + flag + " would change the cluster or the credential";
      }
      if (LOCAL_OR_ENDLESS_FLAGS.contains(flag)) {
        return "flag " + flag + " reads local files, is interactive or never ends";
      }
    }
    String verb = verb(words);
    if (INTERACTIVE.contains(verb)) {
      return "kubectl " + verb + " is interactive, long-running or touches local files";
    }
    return null;
  }

  /** The first word after {@code kubectl} that is neither a flag nor the value of a flag like {@code -n x}. */
  static String verb(List<String> words) {
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (VALUE_FLAGS.contains(w)) {
        i++;
      } else if (!w.startsWith("-")) {
        return w;
      }
    }
    return "";
  }

  private static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_OUTPUT_BYTES + 1);
      String s = new String(bytes, 0, Math.min(bytes.length, MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
      return bytes.length > MAX_OUTPUT_BYTES ? s + "\n[output cut at 64 KiB]" : s.stripTrailing();
    }
  }
}

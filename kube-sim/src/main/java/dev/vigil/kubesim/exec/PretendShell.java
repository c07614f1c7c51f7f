package dev.vigil.kubesim.exec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small sandboxed pretend shell for {@code kubectl exec}. It runs a fixed set of builtins
 * ({@link #COMMANDS}) against a {@link PretendContainer}: an in-memory file tree and an
 * environment built from the pod spec. Nothing of the host is reachable: no processes are
 * started, no host file is read, no command is looked up by reflection — an unknown command is
 * {@code sh: <cmd>: not found} with status 127.
 *
 * <p>One instance per session, used by one thread (the session's worker).
 */
public final class PretendShell {

  /** The commands the pretend shell knows (also listed as pretend files under /bin). */
  public static final List<String> COMMANDS = List.of("sh", "bash", "cat", "cd", "date", "echo", "env", "exit",
      "export", "false", "help", "hostname", "id", "ls", "printenv", "pwd", "sleep", "true", "uname", "unset",
      "whoami");

  /** {@code exit N}: unwinds to the nearest shell. */
  static final class Exit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Exit(int code) {
      super("exit " + code, null, false, false);
      this.code = code;
    }
  }

  final PretendContainer container;
  final BoundedIo io;
  final Map<String, String> vars;
  final LineReader lines;
  private final Builtins builtins;
  private final int depth;
  String cwd;
  int status;

  public PretendShell(PretendContainer container, ShellIo io) {
    this(container, new BoundedIo(io, ExecLimits.MAX_OUTPUT_BYTES), new LinkedHashMap<>(container.env()),
        null, container.workingDir(), 0);
  }

  private PretendShell(PretendContainer container, BoundedIo io, Map<String, String> vars, LineReader lines,
      String cwd, int depth) {
    this.container = container;
    this.io = io;
    this.vars = vars;
    this.lines = lines == null ? new LineReader(io.stdin(), io) : lines;
    this.cwd = cwd;
    this.depth = depth;
    this.builtins = new Builtins(this);
  }

  /**
   * Runs {@code argv} as the container runtime would run a command (no shell unless argv[0] is
   * one) and returns its exit status; 137 if the session was interrupted.
   */
  public int exec(List<String> argv) {
    try {
      return run(argv);
    } catch (Exit e) {
      return e.code;
    } catch (BoundedIo.LimitReached e) {
      io.errUncounted("kube-sim: output limit of " + ExecLimits.MAX_OUTPUT_BYTES / (1024 * 1024)
          + " MiB reached, process stopped\n");
      return 1;
    } catch (UncheckedIOException e) {
      return e.getCause() instanceof InterruptedIOException ? 137 : 1;
    }
  }

  /** Runs one command (argv already split); builtins only. */
  int run(List<String> argv) {
    if (argv.isEmpty()) {
      return status;
    }
    String cmd = argv.get(0);
    String name = cmd.startsWith("/bin/") || cmd.startsWith("/usr/bin/") || cmd.startsWith("/usr/local/bin/")
        ? cmd.substring(cmd.lastIndexOf('/') + 1) : cmd;
    List<String> args = argv.subList(1, argv.size());
    status = switch (name) {
      case "sh", "bash" -> subshell(args);
      case "exit" -> throw new Exit(args.isEmpty() ? status : parseStatus(args.get(0)));
      case "cd" -> cd(args);
      case "export" -> export(args);
      case "unset" -> {
        args.forEach(vars::remove);
        yield 0;
      }
      default -> builtins.run(name, args);
    };
    return status;
  }

  /** Runs a script (one or more lines) in this shell; {@code exit} propagates to the caller. */
  int runScript(String script) {
    List<ShellSyntax.Segment> segments;
    try {
      segments = ShellSyntax.split(script);
    } catch (ShellSyntax.SyntaxError e) {
      io.err("sh: " + e.getMessage() + "\n");
      return status = 2;
    }
    for (ShellSyntax.Segment s : segments) {
      if ((s.op().equals("&&") && status != 0) || (s.op().equals("||") && status == 0)) {
        continue;
      }
      List<String> words;
      try {
        words = ShellSyntax.words(s.text(), this::variable);
      } catch (ShellSyntax.SyntaxError e) {
        io.err("sh: " + e.getMessage() + "\n");
        return status = 2;
      }
      status = withAssignments(words);
    }
    return status;
  }

  private int withAssignments(List<String> words) {
    int i = 0;
    Map<String, String> assigned = new LinkedHashMap<>();
    while (i < words.size() && words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
      String w = words.get(i++);
      assigned.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
    }
    if (i == words.size()) {
      vars.putAll(assigned);
      return 0;
    }
    Map<String, String> saved = new LinkedHashMap<>(vars);
    vars.putAll(assigned);
    try {
      return run(words.subList(i, words.size()));
    } finally {
      if (!assigned.isEmpty()) {
        vars.clear();
        vars.putAll(saved);
      }
    }
  }

  String variable(String name) {
    return switch (name) {
      case "?" -> String.valueOf(status);
      case "$" -> "1";
      case "#" -> "0";
      case "0" -> "sh";
      default -> vars.get(name);
    };
  }

  private int subshell(List<String> args) {
    if (depth >= ExecLimits.MAX_DEPTH) {
      io.err("sh: too many nested shells\n");
      return 2;
    }
    PretendShell sub = new PretendShell(container, io, new LinkedHashMap<>(vars), lines, cwd, depth + 1);
    List<String> rest = new ArrayList<>(args);
    while (!rest.isEmpty() && rest.get(0).startsWith("-") && !rest.get(0).equals("-c")) {
      rest.remove(0); // -i, -l, -e, -x ...: accepted and ignored
    }
    try {
      if (!rest.isEmpty() && rest.get(0).equals("-c")) {
        if (rest.size() < 2) {
          io.err("sh: -c requires an argument\n");
          return 2;
        }
        return sub.runScript(rest.get(1));
      }
      if (!rest.isEmpty()) {
        String path = PretendFs.normalize(cwd, rest.get(0));
        byte[] script = container.fs().read(path).orElse(null);
        if (script == null) {
          io.err("sh: can't open '" + rest.get(0) + "': No such file or directory\n");
          return 127;
        }
        return sub.runScript(new String(script, StandardCharsets.UTF_8));
      }
      return sub.interactive();
    } catch (Exit e) {
      return e.code;
    }
  }

  /** Reads commands from stdin until end of input or {@code exit}; prompts with a tty. */
  private int interactive() {
    String prompt = container.uid() == 0 ? "# " : "$ ";
    while (true) {
      if (io.tty()) {
        io.out(prompt);
      }
      String line = readLine();
      if (line == null) {
        if (io.tty()) {
          io.out("exit\n");
        }
        return status;
      }
      if (!line.isBlank()) {
        runScript(line);
      }
    }
  }

  String readLine() {
    try {
      return lines.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int cd(List<String> args) {
    String target = PretendFs.normalize(cwd, args.isEmpty() ? vars.getOrDefault("HOME", "/") : args.get(0));
    if (!container.fs().isDir(target)) {
      io.err("sh: cd: can't cd to " + (args.isEmpty() ? target : args.get(0)) + ": No such file or directory\n");
      return 2;
    }
    cwd = target;
    vars.put("PWD", cwd);
    return 0;
  }

  private int export(List<String> args) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        vars.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return 0;
  }

  private int parseStatus(String s) {
    try {
      return Integer.parseInt(s) & 0xff;
    } catch (NumberFormatException e) {
      io.err("sh: exit: Illegal number: " + s + "\n");
      return 2;
    }
  }
}

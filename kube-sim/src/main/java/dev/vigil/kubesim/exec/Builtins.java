package dev.vigil.kubesim.exec;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The builtins of {@link PretendShell} that are not about shell state; files are {@link FileCommands}. */
final class Builtins {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final PretendShell sh;
  private final FileCommands files;

  Builtins(PretendShell sh) {
    this.sh = sh;
    this.files = new FileCommands(sh);
  }

  int run(String name, List<String> args) {
    PretendContainer c = sh.container;
    return switch (name) {
      case "echo" -> echo(args);
      case "env" -> env(args);
      case "printenv" -> printenv(args);
      case "ls" -> files.ls(args);
      case "cat" -> files.cat(args);
      case "id" -> print("uid=" + c.uid() + user(c.uid()) + " gid=" + c.gid() + user(c.gid()) + " groups="
          + c.gid() + user(c.gid()));
      case "whoami" -> whoami();
      case "hostname" -> print(c.pod());
      case "pwd" -> print(sh.cwd);
      case "uname" -> print(args.contains("-a")
          ? "Linux " + c.pod() + " 6.1.0-kube-sim #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux" : "Linux");
      case "date" -> print(DATE.format(Instant.now()));
      case "sleep" -> sleep(args);
      case "true" -> 0;
      case "false" -> 1;
      case "help" -> print("kube-sim pretend shell (a simulator, not a real container). Commands: "
          + String.join(" ", PretendShell.COMMANDS));
      default -> {
        sh.io.err("sh: " + name + ": not found\n");
        yield 127;
      }
    };
  }

  private int print(String line) {
    sh.io.out(line + "\n");
    return 0;
  }

  private static String user(long id) {
    return id == 0 ? "(root)" : "";
  }

  private int whoami() {
    String user = sh.container.userName();
    if (user == null) {
      sh.io.err("whoami: unknown uid " + sh.container.uid() + "\n");
      return 1;
    }
    return print(user);
  }

  private int echo(List<String> args) {
    boolean newline = true;
    int i = 0;
    while (i < args.size() && args.get(i).equals("-n")) {
      newline = false;
      i++;
    }
    sh.io.out(String.join(" ", args.subList(i, args.size())) + (newline ? "\n" : ""));
    return 0;
  }

  private int env(List<String> args) {
    Map<String, String> extra = new LinkedHashMap<>();
    int i = 0;
    while (i < args.size() && args.get(i).contains("=") && !args.get(i).startsWith("=")) {
      String a = args.get(i++);
      extra.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    if (i < args.size()) {
      Map<String, String> saved = new LinkedHashMap<>(sh.vars);
      sh.vars.putAll(extra);
      try {
        return sh.run(new ArrayList<>(args.subList(i, args.size())));
      } finally {
        sh.vars.clear();
        sh.vars.putAll(saved);
      }
    }
    Map<String, String> all = new LinkedHashMap<>(sh.vars);
    all.putAll(extra);
    StringBuilder out = new StringBuilder();
    all.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    sh.io.out(out.toString());
    return 0;
  }

  private int printenv(List<String> args) {
    if (args.isEmpty()) {
      return env(List.of());
    }
    int rc = 0;
    for (String name : args) {
      String v = sh.vars.get(name);
      if (v == null) {
        rc = 1;
      } else {
        sh.io.out(v + "\n");
      }
    }
    return rc;
  }

  private int sleep(List<String> args) {
    if (args.isEmpty()) {
      sh.io.err("sleep: missing operand\n");
      return 1;
    }
    double seconds;
    try {
      String a = args.get(0);
      seconds = Double.parseDouble(a.endsWith("s") ? a.substring(0, a.length() - 1) : a);
    } catch (NumberFormatException e) {
      sh.io.err("sleep: invalid time interval '" + args.get(0) + "'\n");
      return 1;
    }
    long max = ExecLimits.MAX_SLEEP.toMillis();
    long millis = (long) Math.max(0, seconds * 1000);
    if (millis > max) {
      sh.io.err("sleep: kube-sim caps sleep at " + max / 1000 + " s\n");
      millis = max;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("sleep interrupted"));
    }
    return 0;
  }
}

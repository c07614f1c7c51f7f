package dev.vigil.query.impl;

import java.util.List;
import java.util.Map;

/** The kubectl forms of calls to subresources: exec, attach, logs, port-forward, scale, token, and the rest. */
final class Subresources {

  private Subresources() {}

  /** Appends the verb and its arguments (before {@code -n}). */
  static void render(List<String> args, String verb, String resource, String sub, String name,
      Map<String, List<String>> query) {
    switch (sub) {
      case "exec" -> Kubectl.add(args, "exec", name);
      case "attach" -> Kubectl.add(args, "attach", name);
      case "log" -> Kubectl.add(args, "logs", name);
      case "portforward" -> Kubectl.add(args, "port-forward", name);
      case "token" -> Kubectl.add(args, "create", "token", name);
      case "scale" -> Kubectl.add(args, verb.equals("get") ? "get" : "scale", resource + (name == null ? "" : "/" + name),
          verb.equals("get") ? "--subresource=scale" : null);
      default -> Kubectl.add(args, kubectlVerb(verb), resource, name, "--subresource=" + sub);
    }
  }

  /** Flags and the command after {@code -n}. */
  static void trailing(List<String> args, String sub, Map<String, List<String>> query) {
    if (sub == null) {
      return;
    }
    switch (sub) {
      case "exec", "attach" -> {
        Kubectl.first(query, "container").ifPresent(c -> args.addAll(List.of("-c", c)));
        flag(args, query, "stdin", "-i");
        flag(args, query, "tty", "-t");
        List<String> command = query.get("command");
        if (sub.equals("exec") && command != null && !command.isEmpty()) {
          args.add("--");
          args.addAll(command);
        }
      }
      case "log" -> {
        Kubectl.first(query, "container").ifPresent(c -> args.addAll(List.of("-c", c)));
        flag(args, query, "follow", "-f");
        flag(args, query, "previous", "-p");
        flag(args, query, "timestamps", "--timestamps");
        Kubectl.first(query, "tailLines").ifPresent(n -> args.add("--tail=" + n));
        Kubectl.first(query, "sinceSeconds").ifPresent(n -> args.add("--since=" + n + "s"));
      }
      case "portforward" -> {
        List<String> ports = query.get("ports");
        if (ports != null) {
          args.addAll(ports);
        }
      }
      default -> { }
    }
  }

  private static void flag(List<String> args, Map<String, List<String>> query, String name, String flag) {
    Kubectl.first(query, name).filter(v -> v.equals("true") || v.equals("1")).ifPresent(v -> args.add(flag));
  }

  private static String kubectlVerb(String verb) {
    return switch (verb) {
      case "list" -> "get";
      case "update" -> "replace";
      default -> verb;
    };
  }
}

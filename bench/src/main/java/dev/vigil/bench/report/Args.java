package dev.vigil.bench.report;

import java.util.HashMap;
import java.util.Map;

/** The benches' command lines: {@code --name value} pairs and the flag {@code --quick}. */
public final class Args {

  private Args() {}

  public static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (name.equals("quick")) {
        o.put(name, "true");
      } else if (i + 1 < args.length) {
        o.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
    }
    return o;
  }

  public static String required(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}

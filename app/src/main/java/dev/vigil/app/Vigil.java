package dev.vigil.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.app.agent.DemoAgent;
import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The {@code vigil} command. Usage: {@code vigil <command> [--config FILE] [--set key=value ...]}.
 * Settings come from the file, then {@code VIGIL_*} environment variables, then {@code --set} overrides.
 */
public final class Vigil {

  private Vigil() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    if (command.equals("demo-agent")) {
      return DemoAgent.run(List.of(args).subList(1, args.length), out, err); // its own options, not settings
    }
    Settings settings;
    try {
      settings = parse(List.of(args).subList(1, args.length));
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("vigil: " + e.getMessage());
      return 2;
    }
    try {
      switch (command) {
        case "demo":
          return Demo.runUntilInterrupted(settings, out);
        case "proxy":
        case "indexer":
        case "query-api":
        case "stream-processors":
          return Services.runUntilInterrupted(command, settings, out);
        default:
          err.println("vigil: unknown command '" + command + "'");
          usage(err);
          return 2;
      }
    } catch (ConfigException e) {
      err.println("vigil: configuration error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("vigil: " + command + " failed: " + e.getMessage());
      return 1;
    }
  }

  static Settings parse(List<String> args) {
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(args);
    for (int i = 0; i < rest.size(); i++) {
      String a = rest.get(i);
      if ((a.equals("--config") || a.equals("--set")) && i + 1 >= rest.size()) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      if (a.equals("--config")) {
        file = Path.of(rest.get(++i));
      } else if (a.equals("--set")) {
        String kv = rest.get(++i);
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--set expects key=value, got '" + kv + "'");
        }
        overrides.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
      } else {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
    }
    if (file == null && System.getenv("VIGIL_CONFIG") != null) {
      file = Path.of(System.getenv("VIGIL_CONFIG"));
    }
    return Settings.load(file, System.getenv(), overrides);
  }

  private static void usage(PrintStream out) {
    out.println("usage: vigil <command> [--config FILE] [--set key=value ...]");
    out.println("       vigil demo-agent [--llm-url URL --llm-key-file FILE] [--session NAME] ...   (--help for all)");
    out.println();
    out.println("commands:");
    out.println("  demo       everything in one JVM: embedded Kafka and OpenSearch, kube-sim, llm-sim, a dev OIDC issuer,");
    out.println("             the proxy (https://127.0.0.1:8443), the indexer, the stream processors and the query API");
    out.println("             (http://127.0.0.1:8081)");
    out.println("  demo-agent a scripted agent against a running demo: asks the model through the proxy, runs its kubectl");
    out.println("             calls through the proxy, then pastes a Secret into a prompt (the gateway refuses it)");
    out.println("  proxy      the Kubernetes gateway (vigil.proxy.* settings)");
    out.println("  indexer    Kafka -> OpenSearch (vigil.indexer.* settings)");
    out.println("  query-api  search API for analysts (vigil.query.* settings)");
    out.println("  stream-processors");
    out.println("             Kafka Streams: signed sessions, alerts (vigil.streams.* settings)");
    out.println();
    out.println("Settings: a properties file (--config or VIGIL_CONFIG), then VIGIL_* environment variables");
    out.println("(vigil.proxy.port <- VIGIL_PROXY_PORT), then --set overrides. See README.md.");
  }
}

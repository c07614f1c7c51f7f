package dev.vigil.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the module benches print (IndexerThroughputBench, StreamsThroughputBench, LlmLatencyBench,
 * SearchLatencyBench: test-scope mains in their modules) into Markdown fragments, each with its ratio against the
 * baseline the bench measured in the same run. A line that is not there fails with the line it expected.
 * Usage: {@code ModuleBenchFragments indexer|streams|llm|search <stdout-file> <fragment.md> [how-it-was-run]}.
 */
public final class ModuleBenchFragments {

  private static final String NUM = "([\\d,]+(?:\\.\\d+)?)";
  private static final Pattern RAW_BULK = Pattern.compile("^raw _bulk \\((.+)\\): " + NUM + " docs/s \\(([\\d.]+) s\\)$");
  private static final Pattern INDEXER = Pattern.compile("^indexer \\((.+)\\): " + NUM + " docs/s \\(([\\d.]+) s, (.+)\\)$");
  private static final Pattern INDEXER_RATIO = Pattern.compile("^ratio indexer / raw _bulk: " + NUM + "$");
  private static final Pattern EVENTS = Pattern.compile("^events: (.+)$");
  private static final Pattern BASELINE = Pattern.compile("^baseline \\((.+)\\): " + NUM + " events/s$");
  private static final Pattern TOPOLOGY = Pattern.compile(
      "^topology \\((.+)\\) once RUNNING \\(after ([\\d.]+) s\\): " + NUM + " events/s \\(" + NUM + " events/s counting start-up\\)$");
  private static final Pattern TOPOLOGY_RATIO = Pattern.compile("^ratio topology / baseline: " + NUM + "$");
  private static final Pattern LLM_ROW = Pattern.compile(
      "^\\s*(direct to llm-sim|through the gateway)\\s+first byte p50\\s+" + NUM + " ms\\s+p99\\s+" + NUM
          + " ms\\s+total p50\\s+" + NUM + " ms\\s+p99\\s+" + NUM + " ms$");
  private static final Pattern LLM_HEAD = Pattern.compile("^(\\d+) streamed Messages calls each (.+)$");
  private static final Pattern SEARCH_LOADED = Pattern.compile("^indexed (.+)$");
  private static final Pattern SEARCH_HEAD = Pattern.compile("^query \\((.+)\\)\\s+p50 ms\\s+p90 ms\\s+p99 ms\\s+max ms$");
  private static final Pattern SEARCH_ROW = Pattern.compile("^(.+?)\\s+" + NUM + "\\s+" + NUM + "\\s+" + NUM + "\\s+" + NUM + "$");

  private ModuleBenchFragments() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: ModuleBenchFragments indexer|streams|llm|search <stdout> <out.md> [how]");
    }
    List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
    String how = args.length > 3 ? args[3] : null;
    String fragment = switch (args[0]) {
      case "indexer" -> indexer(lines, how);
      case "streams" -> streams(lines, how);
      case "llm" -> llm(lines, how);
      case "search" -> search(lines, how);
      default -> throw new IllegalArgumentException("unknown bench '" + args[0] + "'");
    };
    Files.writeString(Path.of(args[2]), fragment, StandardCharsets.UTF_8);
  }

  static String indexer(List<String> lines, String how) {
    Matcher raw = find(lines, RAW_BULK, "raw _bulk (...): N docs/s (T s)");
    Matcher idx = find(lines, INDEXER, "indexer (...): N docs/s (T s, ...)");
    double ratio = number(find(lines, INDEXER_RATIO, "ratio indexer / raw _bulk: R").group(1));
    return "## Indexer throughput against raw bulk\n\n" + ran(how)
        + "The same event documents go into one in-JVM OpenSearch node twice: pre-serialized `_bulk` requests sent by one"
        + " thread (the baseline: what OpenSearch takes without the indexer) and the indexer consuming them from Kafka.\n\n"
        + Markdown.table(List.of("", "docs/s", "time", "what"), List.of(
            List.of("raw `_bulk` (baseline)", raw.group(2), raw.group(3) + " s", raw.group(1)),
            List.of("indexer", idx.group(2), idx.group(3) + " s", idx.group(1) + "; " + idx.group(4))))
        + "\nRatio indexer / raw bulk (time of the baseline over time of the indexer; 1.00 = as fast as OpenSearch takes"
        + " bulks from one thread): **" + Markdown.ratio(ratio) + "**\n";
  }

  static String streams(List<String> lines, String how) {
    String events = find(lines, EVENTS, "events: ...").group(1);
    Matcher base = find(lines, BASELINE, "baseline (...): N events/s");
    Matcher topo = find(lines, TOPOLOGY, "topology (...) once RUNNING (after T s): N events/s (M events/s counting start-up)");
    double ratio = number(find(lines, TOPOLOGY_RATIO, "ratio topology / baseline: R").group(1));
    return "## Kafka Streams throughput\n\n" + ran(how) + "Events: " + events + ". The baseline is a plain consumer"
        + " reading and decoding the same events from the same in-JVM broker.\n\n"
        + Markdown.table(List.of("", "events/s", "what"), List.of(
            List.of("consume + decode (baseline)", base.group(2), base.group(1)),
            List.of("stream-processors topology", topo.group(3), topo.group(1) + "; once RUNNING (after " + topo.group(2)
                + " s of start-up)"),
            List.of("topology, counting start-up", topo.group(4), "from `StreamProcessors.start` to the last commit")))
        + "\nRatio topology / baseline (once RUNNING): **" + Markdown.ratio(ratio) + "**\n";
  }

  static String llm(List<String> lines, String how) {
    Matcher head = find(lines, LLM_HEAD, "N streamed Messages calls each ...");
    List<double[]> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String l : lines) {
      Matcher m = LLM_ROW.matcher(l);
      if (m.matches()) {
        names.add(m.group(1));
        rows.add(new double[] {number(m.group(2)), number(m.group(3)), number(m.group(4)), number(m.group(5))});
      }
    }
    if (!names.contains("direct to llm-sim")) {
      throw new IllegalArgumentException("no 'direct to llm-sim' line in the output");
    }
    List<List<String>> table = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      double[] r = rows.get(i);
      table.add(List.of(names.get(i), Markdown.millis(r[0]), Markdown.millis(r[1]), Markdown.millis(r[2]),
          Markdown.millis(r[3])));
    }
    StringBuilder b = new StringBuilder("## LLM call latency through the gateway\n\n").append(ran(how))
        .append(head.group(1)).append(" streamed Anthropic Messages calls to llm-sim each way ").append(head.group(2))
        .append(", direct and through the proxy's `/llm/anthropic` (TLS, OIDC token, policy, recording to Kafka),"
            + " interleaved one by one.\n\n")
        .append(Markdown.table(List.of("", "first byte p50 ms", "first byte p99 ms", "total p50 ms", "total p99 ms"), table));
    if (rows.size() < 2) {
      return b.append("\nNo gateway figures: the bench found no `/llm/anthropic` route on the proxy.\n").toString();
    }
    double[] d = rows.get(0);
    double[] g = rows.get(1);
    return b.append("\nRatio gateway / direct: first byte p50 **").append(Markdown.ratio(g[0] / d[0])).append("**, p99 ")
        .append(Markdown.ratio(g[1] / d[1])).append("; total p50 **").append(Markdown.ratio(g[2] / d[2]))
        .append("**, p99 ").append(Markdown.ratio(g[3] / d[3])).append(". Added: total p50 +")
        .append(Markdown.millis(g[2] - d[2])).append(" ms, p99 +").append(Markdown.millis(g[3] - d[3])).append(" ms.\n")
        .toString();
  }

  static String search(List<String> lines, String how) {
    String loaded = find(lines, SEARCH_LOADED, "indexed ...").group(1);
    Matcher head = find(lines, SEARCH_HEAD, "query (...) p50 ms p90 ms p99 ms max ms");
    int first = 0;
    while (!SEARCH_HEAD.matcher(lines.get(first).strip()).matches()) {
      first++;
    }
    List<List<String>> table = new ArrayList<>();
    for (int i = first + 1; i < lines.size(); i++) {
      Matcher m = SEARCH_ROW.matcher(lines.get(i));
      if (m.matches()) {
        table.add(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
      }
    }
    if (table.isEmpty()) {
      throw new IllegalArgumentException("no query rows after the header line");
    }
    return "## Search latency (query API)\n\n" + ran(how) + "The real query API over HTTP against one in-JVM OpenSearch"
        + " node (indexed " + loaded + "); queries " + head.group(1) + ". No baseline here: compare runs on the same"
        + " machine.\n\n" + Markdown.table(List.of("query", "p50 ms", "p90 ms", "p99 ms", "max ms"), table);
  }

  private static String ran(String how) {
    return how == null ? "" : "Run: `" + how + "`\n\n";
  }

  private static Matcher find(List<String> lines, Pattern p, String expected) {
    for (String l : lines) {
      Matcher m = p.matcher(l.strip());
      if (m.matches()) {
        return m;
      }
    }
    throw new IllegalArgumentException("expected a line like '" + expected + "' in the bench's output");
  }

  static double number(String s) {
    return Double.parseDouble(s.replace(",", "").toLowerCase(Locale.ROOT));
  }
}

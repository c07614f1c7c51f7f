package dev.vigil.bench.proxy;

import static dev.vigil.bench.proxy.Overhead.fmt;
import static dev.vigil.bench.proxy.Overhead.rate;
import static dev.vigil.bench.proxy.Overhead.ratioText;
import static dev.vigil.bench.proxy.Overhead.signed;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown fragment: "## Proxy overhead", then level-3 sections. */
final class Report {

  static final String BE = "vigil-best-effort";
  static final String STRICT = "vigil-strict";

  private final Results r;
  private final StringBuilder md = new StringBuilder();

  private Report(Results r) {
    this.r = r;
  }

  static String render(Results r) {
    return new Report(r).build();
  }

  private String build() {
    line("## Proxy overhead");
    line("");
    line("The same request mix sent over TLS (HTTP/1.1 keep-alive) directly to kube-sim, through nginx as a plain "
        + "reverse proxy, and through Vigil recording best-effort and strict; open loop at fixed rates (latency from "
        + "each request's intended send time, so queueing behind a stall counts — no coordinated omission), then "
        + "closed loop at saturation. " + (r.args.quick ? "**Quick run** (short phases, one rate): indicative only. "
        : "") + "Run time " + r.wallMillis / 1000 + " s. The machine is shared (2 cores, other jobs running): "
        + "expect noise between runs.");
    line("");
    List<String> errors = r.errorLines();
    if (!errors.isEmpty()) {
      line("**This run had errors** (failed or non-2xx requests are excluded from the latencies and listed under "
          + "Errors): " + errors.size() + " kinds, " + errors.stream().limit(3).collect(Collectors.joining("; "))
          + (errors.size() > 3 ? "; ..." : "") + ".");
      line("");
    }
    if (r.nginxNote != null) {
      line("**No nginx column:** " + r.nginxNote + " (run with `--nginx $(command -v nginx)`).");
      line("");
    }
    Sections.topology(this, r);
    openLoop();
    added();
    Sections.perOperation(this, r);
    saturation();
    Sections.targets(this, r);
    if (!errors.isEmpty()) {
      line("### Errors");
      line("");
      errors.forEach(e -> line("- " + e));
      line("");
    }
    return md.toString();
  }

  void line(String s) {
    md.append(s).append('\n');
  }

  private void openLoop() {
    line("### Latency at fixed rates (open loop, ms)");
    line("");
    line("| rate (req/s) | target | requests | errors | p50 | p99 | p99.9 | max |");
    line("|---:|---|---:|---:|---:|---:|---:|---:|");
    for (double rt : r.args.rates) {
      for (Topology.Target t : r.targets) {
        PhaseResult p = r.open(t.key(), rt);
        if (p != null) {
          boolean any = p.successes() > 0;
          line("| " + rate(rt) + " | " + t.label() + " | " + p.successes() + " | " + p.errorCount() + " | "
              + (any ? fmt(p.millis(50)) + " | " + fmt(p.millis(99)) + " | " + fmt(p.millis(99.9)) + " | "
              + fmt(p.maxMillis()) : "- | - | - | -") + " |");
        }
      }
    }
    line("");
  }

  private void added() {
    line("### Added latency (ms; difference of percentiles: proxy's p99 minus the baseline's p99, etc.)");
    line("");
    line("| rate (req/s) | proxy | baseline | +p50 | +p99 | +p99.9 | p50 ratio | p99 ratio | p99.9 ratio |");
    line("|---:|---|---|---:|---:|---:|---:|---:|---:|");
    for (double rt : r.args.rates) {
      for (String proxy : List.of(BE, STRICT, "nginx")) {
        for (String base : List.of("direct", "nginx")) {
          PhaseResult p = r.open(proxy, rt);
          PhaseResult b = r.open(base, rt);
          if (p == null || b == null || proxy.equals(base) || (proxy.equals("nginx") && !base.equals("direct"))) {
            continue;
          }
          if (p.successes() == 0 || b.successes() == 0) {
            line("| " + rate(rt) + " | " + r.label(proxy) + " | " + r.label(base) + " | - | - | - | - | - | - |");
            continue;
          }
          StringBuilder row = new StringBuilder("| " + rate(rt) + " | " + r.label(proxy) + " | " + r.label(base));
          for (double pct : Overhead.PERCENTILES) {
            row.append(" | ").append(signed(Overhead.added(p, b, pct)));
          }
          for (double pct : Overhead.PERCENTILES) {
            row.append(" | ").append(ratioText(Overhead.ratio(p.millis(pct), b.millis(pct))));
          }
          line(row.append(" |").toString());
        }
      }
    }
    line("");
  }

  private void saturation() {
    line("### Saturation (closed loop, " + r.args.concurrency + " concurrent requests)");
    line("");
    line("| target | req/s | errors | p50 (ms) | p99 (ms) |");
    line("|---|---:|---:|---:|---:|");
    for (Map.Entry<String, PhaseResult> e : r.saturation.entrySet()) {
      PhaseResult p = e.getValue();
      line("| " + r.label(e.getKey()) + " | " + fmt(p.throughput()) + " | " + p.errorCount() + " | "
          + fmt(p.millis(50)) + " | " + fmt(p.millis(99)) + " |");
    }
    line("");
    for (String v : List.of(BE, STRICT)) {
      PhaseResult p = r.saturation.get(v);
      if (p == null) {
        continue;
      }
      StringBuilder s = new StringBuilder("- " + r.label(v) + ": ");
      for (String base : List.of("nginx", "direct")) {
        PhaseResult b = r.saturation.get(base);
        if (b != null) {
          s.append(Overhead.percentText(Overhead.ratio(p.throughput(), b.throughput()))).append(" of ")
              .append(r.label(base)).append("'s throughput; ");
        }
      }
      line(s.toString().replaceAll("; $", "."));
    }
    line("");
    line("Latencies here are service times (closed loop: a slow reply delays the next request), for information.");
    line("");
  }
}

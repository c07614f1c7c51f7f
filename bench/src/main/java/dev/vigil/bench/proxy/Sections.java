package dev.vigil.bench.proxy;

import static dev.vigil.bench.proxy.Overhead.fmt;
import static dev.vigil.bench.proxy.Overhead.rate;
import static dev.vigil.bench.proxy.Report.BE;
import static dev.vigil.bench.proxy.Report.STRICT;

import java.util.stream.Collectors;

/** The descriptive sections of the fragment and the check against the targets. */
final class Sections {

  /** An open-loop p50 this high means a queue grew through the phase: the target is past its capacity. */
  static final double OVER_CAPACITY_MILLIS = 1000;

  private Sections() {}

  static void topology(Report md, Results r) {
    BenchArgs a = r.args;
    md.line("### Topology and method");
    md.line("");
    md.line("- **Processes** (all on 127.0.0.1, each JVM with its own heap and GC): the load driver (this JVM); "
        + "upstream JVM (" + String.join(" ", Topology.UPSTREAM_JVM) + ") with kube-sim over TLS (accepts only the "
        + "gateway token), the dev OIDC issuer and an embedded Kafka broker (topic `vigil.events.v1`, 3 partitions); "
        + "two `vigil proxy` JVMs (" + String.join(" ", Topology.PROXY_JVM) + ", 256 upstream connections), "
        + "one per recording mode, started from the same classpath; nginx (2 workers) when available.");
    md.line("- **Direct**: the driver sends the gateway token to kube-sim. **nginx**: TLS listener, HTTP/1.1 "
        + "keep-alive to the client and to a keep-alive upstream pool (`keepalive 256`, `proxy_http_version 1.1`, "
        + "`Connection \"\"`), https to kube-sim with the dev CA verified, `proxy_buffering off` and "
        + "`proxy_request_buffering off` (streams pass through), no access log; it replaces the caller's "
        + "Authorization with the gateway token and does nothing else. **Vigil**: the caller sends an OIDC token "
        + "(dev issuer, verified by signature); policy `defaultEffect: allow`, `defaults: {record: full, recording: "
        + "best-effort | strict}` — every call recorded with its bodies (64 KiB cap), responses masked for the "
        + "caller (the default), caller impersonated upstream; events produced to Kafka.");
    md.line("- **Client**: Vert.x HTTP/1.1 over TLS, keep-alive pool of " + a.poolSize + " connections per target "
        + "for ordinary requests (a request waiting for a connection counts from its intended time) and a separate "
        + "pool of " + a.watchPoolSize + " for watches.");
    md.line("- **Open loop**: request i is due at start + i/rate; its latency runs from that time to the complete "
        + "response (watch: to the first event) and is recorded in an HdrHistogram (1 µs..120 s, 3 digits). "
        + "Per target and rate: " + a.warmup.toSeconds() + " s warm-up (sent, not recorded), then "
        + fmt(a.measure.toMillis() / 1000.0) + " s measured, " + a.rounds + " round(s) merged; requests without a "
        + "reply " + a.drain.toSeconds() + " s after the last was due count as errors. "
        + "Before the first phase every target gets closed-loop load (" + BenchArgs.WARMUP_CONCURRENCY
        + " workers) until " + a.warmupRequests + " requests succeeded (at least " + a.initialWarmup.toSeconds()
        + " s, at most " + a.initialWarmupCap.toSeconds() + " s): JIT and connection warm-up, not recorded — a cold "
        + "JVM under open-loop load piles up a backlog it does not recover from within a phase. "
        + "**Order**: for each rate, each round runs the targets in a rotated order (round k starts with target "
        + "k + rate index) so that drift of the shared machine does not always hit the same target.");
    md.line("- **Saturation**: " + a.concurrency + " workers each send the next request of the mix as soon as the "
        + "previous completed; " + a.saturationWarmup.toSeconds() + " s warm-up, "
        + a.saturationMeasure.toSeconds() + " s measured per target, targets in the same rotated order.");
    md.line("");
    md.line("**Request mix** (weights spread evenly over a repeating 100-request pattern, the same for every target "
        + "and phase): " + r.mix.weights().entrySet().stream().map(e -> describe(e.getKey()) + " " + e.getValue()
        + "%").collect(Collectors.joining("; ")) + ". The create is `?dryRun=All`: kube-sim validates and "
        + "answers it in full (201 with the object) but stores nothing, so memory stays bounded without deletes in "
        + "the mix and the list stays at " + RequestMix.LIST_SIZE + " objects; for the proxies it is an ordinary "
        + "100 KiB create, recorded with its body.");
    md.line("");
  }

  private static String describe(Op op) {
    return switch (op) {
      case GET -> "GET of one small ConfigMap";
      case LIST -> "LIST of a namespace of " + RequestMix.LIST_SIZE + " ConfigMaps (~190 KiB)";
      case CREATE -> "create of a " + RequestMix.CREATE_DATA_BYTES / 1024 + " KiB ConfigMap";
      case WATCH -> "watch (`resourceVersion=0`, `fieldSelector` on one object, `timeoutSeconds=1`) timed to its "
          + "first event";
    };
  }

  static void perOperation(Report md, Results r) {
    double top = r.args.topRate();
    md.line("### Per operation at " + rate(top) + " req/s (open loop, ms: p50 / p99)");
    md.line("");
    StringBuilder head = new StringBuilder("| target |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Op op : Op.values()) {
      head.append(" ").append(op.name()).append(" |");
      rule.append("---:|");
    }
    md.line(head.toString());
    md.line(rule.toString());
    for (Topology.Target t : r.targets) {
      PhaseResult p = r.open(t.key(), top);
      if (p == null) {
        continue;
      }
      StringBuilder row = new StringBuilder("| " + t.label() + " |");
      for (Op op : Op.values()) {
        row.append(" ").append(p.count(op) == 0 ? "-" : fmt(p.millis(op, 50)) + " / " + fmt(p.millis(op, 99)))
            .append(" |");
      }
      md.line(row.toString());
    }
    md.line("");
  }

  static void targets(Report md, Results r) {
    double top = r.args.topRate();
    md.line("### Against the issue's targets (at " + rate(top) + " req/s"
        + (top < 1000 ? ", the highest rate of this run; the targets are stated at 1000 req/s" : "") + ")");
    md.line("");
    md.line("| target | measured | goal | verdict |");
    md.line("|---|---:|---:|---|");
    PhaseResult direct = r.open("direct", top);
    for (String v : new String[] {BE, STRICT}) {
      PhaseResult p = r.open(v, top);
      if (p == null || direct == null) {
        continue;
      }
      double a50 = Overhead.added(p, direct, 50);
      double a99 = Overhead.added(p, direct, 99);
      md.line("| added p50 vs direct, " + r.label(v) + " | " + fmt(a50) + " ms | <= 1 ms | "
          + Overhead.verdict(a50, 1, true, "ms", p, direct) + " |");
      md.line("| added p99 vs direct, " + r.label(v) + " | " + fmt(a99) + " ms | <= 3 ms | "
          + Overhead.verdict(a99, 3, true, "ms", p, direct) + " |");
    }
    PhaseResult be = r.open(BE, top);
    PhaseResult strict = r.open(STRICT, top);
    if (be != null && strict != null) {
      double d = strict.millis(50) - be.millis(50);
      boolean overCapacity = Math.max(strict.millis(50), be.millis(50)) >= OVER_CAPACITY_MILLIS;
      md.line("| strict p50 minus best-effort p50 | " + fmt(d) + " ms | <= 2 ms | "
          + (overCapacity ? "NO VERDICT (a Vigil is over capacity at this rate)"
          : Overhead.verdict(d, 2, true, "ms", be, strict)) + " |");
    }
    PhaseResult nginx = r.saturation.get("nginx");
    for (String v : new String[] {BE, STRICT}) {
      PhaseResult p = r.saturation.get(v);
      if (p == null) {
        continue;
      }
      if (nginx == null) {
        md.line("| saturation, " + r.label(v) + " / nginx | n/a (no nginx) | >= 70% | n/a |");
        continue;
      }
      double ratio = Overhead.ratio(p.throughput(), nginx.throughput());
      md.line("| saturation, " + r.label(v) + " / nginx | " + Overhead.percentText(ratio) + " | >= 70% | "
          + Overhead.verdict(ratio, 0.70, false, "%", p, nginx) + " |");
    }
    md.line("");
    md.line("A proxy whose open-loop p50 reaches " + fmt(OVER_CAPACITY_MILLIS) + " ms is past its capacity at that "
        + "rate (a queue grew through the phase): its added latency then measures queueing, a lower bound of the "
        + "shortfall, and the saturation row says how far the capacity is from the rate.");
    md.line("");
    if (!r.errorLines().isEmpty()) {
      md.line("Verdicts are computed from successful requests only; a phase with more than 1% errors gets NO VERDICT. "
          + "This run had errors (see Errors).");
      md.line("");
    }
  }
}

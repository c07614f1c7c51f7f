package dev.vigil.bench.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Vigil's proxy overhead (issue 9): see {@link Sections#topology} for what is measured and how, and
 * {@link BenchArgs#USAGE} for the command line. Writes a Markdown fragment to --out (and --json), progress to stderr;
 * exits 0 on success, 1 on failure, 2 on a bad command line.
 */
public final class ProxyOverheadBench {

  private ProxyOverheadBench() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] argv) {
    BenchArgs args;
    try {
      args = BenchArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("ProxyOverheadBench: " + e.getMessage());
      return 2;
    }
    long t0 = System.nanoTime();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Topology topology = null;
    Thread hook = null;
    try {
      Path dir = args.workDir != null ? Files.createDirectories(args.workDir)
          : Files.createTempDirectory("vigil-bench-proxy");
      progress("work directory " + dir.toAbsolutePath());
      List<String> jfr = args.jfr ? List.of("-XX:StartFlightRecording=filename=" + dir.toAbsolutePath()
          + "/vigil-{mode}.jfr,settings=profile,dumponexit=true") : List.of();
      topology = Topology.start(dir, args.nginx, jfr, ProxyOverheadBench::progress);
      Topology started = topology;
      hook = new Thread(() -> closeQuietly(started), "bench-proxy-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
      Results results = measure(vertx, args, topology);
      List<String> dead = topology.deadChildren();
      if (!dead.isEmpty()) {
        throw new IllegalStateException("child processes died during the run: " + dead + " (logs in " + dir + ")");
      }
      results.wallMillis = (System.nanoTime() - t0) / 1_000_000;
      Files.writeString(args.out, Report.render(results), StandardCharsets.UTF_8);
      progress("wrote " + args.out);
      if (args.json != null) {
        Files.writeString(args.json, JsonReport.render(results), StandardCharsets.UTF_8);
        progress("wrote " + args.json);
      }
      return 0;
    } catch (Exception e) {
      System.err.println("ProxyOverheadBench: failed: " + e);
      return 1;
    } finally {
      if (hook != null) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      closeQuietly(topology);
      vertx.close();
      progress("done in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
    }
  }

  private static Results measure(Vertx vertx, BenchArgs args, Topology topology) throws InterruptedException {
    RequestMix mix = new RequestMix(RequestMix.DEFAULT_WEIGHTS);
    List<Topology.Target> targets = topology.targets();
    Results results = new Results(args, mix, targets, topology.nginxNote());
    Map<String, HttpSender> senders = new LinkedHashMap<>();
    java.util.function.Consumer<Topology.Target> fresh = t -> {
      HttpSender old = senders.put(t.key(), new HttpSender(vertx, topology.caPem(), "127.0.0.1", t.port(), t.token(),
          args.poolSize, args.watchPoolSize));
      if (old != null) {
        old.close(); // drops requests still queued from an overloaded phase: they must not load the next one
      }
    };
    targets.forEach(fresh);
    try {
      OpenLoopRunner open = new OpenLoopRunner(mix);
      ClosedLoopRunner closed = new ClosedLoopRunner(vertx, mix);
      for (Topology.Target t : targets) {
        warmUp(closed, t, senders.get(t.key()), args);
      }
      for (int ri = 0; ri < args.rates.size(); ri++) {
        double rate = args.rates.get(ri);
        for (int round = 0; round < args.rounds; round++) {
          for (Topology.Target t : rotate(targets, ri + round)) {
            PhaseResult p = open.run(t.key(), senders.get(t.key()), rate, args.warmup, args.measure, args.drain);
            results.addOpen(t, p);
            if (p.errors().containsKey(OpenLoopRunner.NO_REPLY)) {
              fresh.accept(t);
            }
            results.order.add(t.key() + "@" + Overhead.rate(rate));
            progress(String.format("%-32s %5s req/s round %d: p50 %s p99 %s p99.9 %s ms, %d ok, %d errors",
                t.label(), Overhead.rate(rate), round + 1, Overhead.fmt(p.millis(50)), Overhead.fmt(p.millis(99)),
                Overhead.fmt(p.millis(99.9)), p.successes(), p.errorCount()));
          }
        }
      }
      for (Topology.Target t : rotate(targets, args.rates.size())) {
        PhaseResult p = closed.run(t.key(), senders.get(t.key()), args.concurrency, args.saturationWarmup,
            args.saturationMeasure, args.drain);
        results.addSaturation(t, p);
        fresh.accept(t);
        results.order.add(t.key() + "@saturation");
        progress(String.format("%-32s saturation: %s req/s, %d errors", t.label(), Overhead.fmt(p.throughput()),
            p.errorCount()));
      }
      return results;
    } finally {
      senders.values().forEach(HttpSender::close);
    }
  }

  /**
   * Closed loop with few workers (a cold JVM, driver's or proxy's, then slows itself down instead of piling up an
   * open-loop backlog it never recovers from), in slices, until {@link BenchArgs#warmupRequests} requests succeeded
   * or {@link BenchArgs#initialWarmupCap} passed; at least {@link BenchArgs#initialWarmup}.
   */
  private static void warmUp(ClosedLoopRunner closed, Topology.Target t, Sender sender, BenchArgs args)
      throws InterruptedException {
    long start = System.nanoTime();
    long ok = 0;
    long errors = 0;
    java.time.Duration slice = java.time.Duration.ofSeconds(2);
    while (true) {
      PhaseResult w = closed.run(t.key(), sender, BenchArgs.WARMUP_CONCURRENCY, java.time.Duration.ZERO, slice,
          args.drain);
      ok += w.successes();
      errors += w.errorCount();
      long elapsed = System.nanoTime() - start;
      boolean minDone = elapsed >= args.initialWarmup.toNanos();
      if ((minDone && ok >= args.warmupRequests) || elapsed >= args.initialWarmupCap.toNanos()) {
        break;
      }
    }
    progress(String.format("warm-up %-32s %d requests ok, %d errors in %d s (closed loop, %d workers)", t.label(),
        ok, errors, (System.nanoTime() - start) / 1_000_000_000, BenchArgs.WARMUP_CONCURRENCY));
  }

  /** {@code list} rotated left by {@code by}. */
  static <T> List<T> rotate(List<T> list, int by) {
    List<T> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((i + by) % list.size()));
    }
    return out;
  }

  private static void closeQuietly(Topology t) {
    if (t == null) {
      return;
    }
    try {
      t.close();
    } catch (java.io.IOException e) {
      System.err.println("ProxyOverheadBench: stopping child processes: " + e.getMessage());
    }
  }

  static void progress(String s) {
    System.err.println("[bench-proxy] " + s);
  }
}

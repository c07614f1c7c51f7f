package dev.vigil.bench.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.vigil.bench.report.Args;
import dev.vigil.bench.report.Markdown;
import dev.vigil.embedded.DataDirs;

/**
 * {@code ./vigil demo} as a user starts it: time from process start to the ready banner, peak RSS after some traffic,
 * time from SIGTERM to exit; up to {@code --runs} times, but no new run once the previous run's duration no longer fits
 * before {@code --deadline-seconds} (from this program's start). Usage: {@code DemoLifecycleBench --vigil ./vigil
 * --out FILE [--runs 3] [--work-dir DIR] [--deadline-seconds N] [--quick]} (quick: one run).
 */
public final class DemoLifecycleBench {

  private static final String[] PORTS = {"opensearch", "kafka", "oidc", "kube-sim", "llm-sim", "proxy", "query"};

  private DemoLifecycleBench() {}

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    // Stopped by run.sh's timeout (SIGTERM), a demo still running would outlive this JVM: take it down too.
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly), "demo-bench-cleanup"));
    Map<String, String> o = Args.parse(args);
    Path vigil = Path.of(o.getOrDefault("vigil", "./vigil")).toAbsolutePath();
    Path out = Path.of(o.getOrDefault("out", "demo.md"));
    int runs = o.containsKey("quick") ? 1 : Integer.parseInt(o.getOrDefault("runs", "3"));
    long deadline = start + (long) (Double.parseDouble(o.getOrDefault("deadline-seconds", "600")) * 1e9);
    Path work = Files.createDirectories(Path.of(o.getOrDefault("work-dir",
        Files.createTempDirectory("vigil-demo-bench").toString())));
    List<DemoRun.Result> results = new ArrayList<>();
    long last = 0;
    String skipped = null;
    for (int i = 1; i <= runs; i++) {
      if (i > 1 && System.nanoTime() + last > deadline) {
        skipped = String.format(Locale.ROOT, "runs %d to %d not started: the time budget left was shorter than a run"
            + " (%.0f s)", i, runs, last / 1e9);
        break;
      }
      Path dir = work.resolve("demo-" + i);
      List<String> command = new ArrayList<>(List.of(vigil.toString(), "demo", "--set", "vigil.demo.dir=" + dir));
      for (String part : PORTS) {
        command.add("--set");
        command.add("vigil.demo." + part + ".port=0");
      }
      long t = System.nanoTime();
      System.err.printf("demo: run %d of %d%n", i, runs);
      try {
        results.add(new DemoRun().run(command, dir, work.resolve("demo-" + i + ".stderr.log"), vigil));
      } finally {
        DataDirs.deleteQuietly(dir); // the demo's keys and tokens
      }
      last = System.nanoTime() - t;
      System.err.printf("demo: run %d took %.0f s%n", i, last / 1e9);
    }
    Files.writeString(out, fragment(results, skipped, System.getenv().getOrDefault("VIGIL_JAVA_OPTS", "-Xmx2g")),
        StandardCharsets.UTF_8);
    if (results.stream().allMatch(r -> r.error() != null)) {
      System.err.println("demo: every run failed");
      System.exit(1);
    }
  }

  static String fragment(List<DemoRun.Result> results, String skipped, String javaOpts) {
    StringBuilder b = new StringBuilder("## Demo: time to ready, peak RSS, stop\n\n");
    b.append("`./vigil demo` (JVM options `").append(javaOpts).append("`), a fresh demo directory and system-chosen"
        + " ports per run. *Time to ready*: from the process start to the `Vigil demo ready` banner on its stdout"
        + " (the banner's own figure counts from the start of `Demo.start`, so without JVM start-up). *Traffic*, then"
        + " *peak RSS* = `VmHWM` of `/proc/<pid>/status` (the launcher execs the JVM). *Stop*: SIGTERM to process"
        + " exit (the demo's own `Stopped in` covers its shutdown hook).\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      DemoRun.Result r = results.get(i);
      if (r.error() != null) {
        rows.add(List.of(String.valueOf(i + 1), "failed: " + r.error(), "", "", "", "", "", "", ""));
        continue;
      }
      rows.add(List.of(String.valueOf(i + 1), seconds(r.readyMillis()),
          r.bannerReadySeconds() < 0 ? "?" : String.format(Locale.ROOT, "%.1f", r.bannerReadySeconds()),
          mib(r.peakRssKb()), mib(r.rssKb()), r.traffic(), seconds(r.stopMillis()),
          r.stoppedInMillis() < 0 ? "?" : seconds(r.stoppedInMillis()), String.valueOf(r.exitCode())));
    }
    b.append(Markdown.table(List.of("run", "time to ready s", "banner \"ready in\" s", "peak RSS MiB",
        "RSS at stop MiB", "traffic before the reading", "SIGTERM → exit s", "\"Stopped in\" s", "exit code"), rows));
    if (skipped != null) {
      b.append('\n').append(skipped).append(".\n");
    }
    return b.toString();
  }

  private static String seconds(double millis) {
    return String.format(Locale.ROOT, "%.1f", millis / 1000);
  }

  private static String mib(long kb) {
    return kb < 0 ? "?" : String.valueOf(Math.round(kb / 1024.0));
  }
}

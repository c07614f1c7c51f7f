package dev.vigil.bench.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The bench's command line. Every phase length and rate can be overridden; --quick shortens everything. */
final class BenchArgs {

  Path out;
  Path json;
  Path nginx;
  Path workDir;
  boolean quick;
  boolean jfr;
  List<Double> rates = List.of(250.0, 500.0, 1000.0);
  int rounds = 2;
  static final int WARMUP_CONCURRENCY = 8;

  Duration initialWarmup = Duration.ofSeconds(6);
  Duration initialWarmupCap = Duration.ofSeconds(20);
  long warmupRequests = 3000;
  Duration warmup = Duration.ofSeconds(3);
  Duration measure = Duration.ofSeconds(6);
  Duration drain = Duration.ofSeconds(3);
  int concurrency = 64;
  int poolSize = 48;
  int watchPoolSize = 512;
  Duration saturationWarmup = Duration.ofSeconds(3);
  Duration saturationMeasure = Duration.ofSeconds(10);

  static final String USAGE = "usage: ProxyOverheadBench --out FRAGMENT.md [--json RESULTS.json] [--nginx PATH]"
      + " [--quick] [--work-dir DIR] [--rates 250,500,1000] [--rounds N] [--measure SECONDS] [--warmup SECONDS]"
      + " [--saturation SECONDS] [--concurrency N] [--jfr]";

  static BenchArgs parse(String[] args) {
    BenchArgs a = new BenchArgs();
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean quick = rest.remove("--quick");
    if (quick) {
      a.quick = true;
      a.rates = List.of(250.0);
      a.rounds = 1;
      a.initialWarmup = Duration.ofSeconds(2);
      a.initialWarmupCap = Duration.ofSeconds(8);
      a.warmupRequests = 1000;
      a.warmup = Duration.ofSeconds(2);
      a.measure = Duration.ofSeconds(3);
      a.drain = Duration.ofSeconds(3);
      a.saturationWarmup = Duration.ofSeconds(1);
      a.saturationMeasure = Duration.ofSeconds(2);
    }
    for (int i = 0; i < rest.size(); i++) {
      String k = rest.get(i);
      if (k.equals("--jfr")) {
        a.jfr = true;
        continue;
      }
      if (i + 1 >= rest.size()) {
        throw new IllegalArgumentException(k + " needs a value\n" + USAGE);
      }
      String v = rest.get(++i);
      switch (k) {
        case "--out" -> a.out = Path.of(v);
        case "--json" -> a.json = Path.of(v);
        case "--nginx" -> a.nginx = v.isBlank() ? null : Path.of(v);
        case "--work-dir" -> a.workDir = Path.of(v);
        case "--rates" -> a.rates = Arrays.stream(v.split(",")).map(String::strip).map(Double::valueOf).toList();
        case "--rounds" -> a.rounds = positive(k, Integer.parseInt(v));
        case "--measure" -> a.measure = seconds(k, v);
        case "--warmup" -> a.warmup = seconds(k, v);
        case "--saturation" -> a.saturationMeasure = seconds(k, v);
        case "--concurrency" -> a.concurrency = positive(k, Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown option " + k + "\n" + USAGE);
      }
    }
    if (a.out == null) {
      throw new IllegalArgumentException("--out is required\n" + USAGE);
    }
    if (a.rates.isEmpty() || a.rates.stream().anyMatch(r -> !(r > 0))) {
      throw new IllegalArgumentException("--rates must be positive numbers");
    }
    return a;
  }

  private static int positive(String k, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(k + " must be >= 1");
    }
    return n;
  }

  private static Duration seconds(String k, String v) {
    double s = Double.parseDouble(v);
    if (!(s > 0)) {
      throw new IllegalArgumentException(k + " must be > 0 seconds");
    }
    return Duration.ofMillis(Math.round(s * 1000));
  }

  /** The highest rate measured: where the latency targets are checked. */
  double topRate() {
    return rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}

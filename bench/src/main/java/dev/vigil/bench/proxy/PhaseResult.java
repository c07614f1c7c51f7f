package dev.vigil.bench.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What one measured phase against one target saw: latency histograms in microseconds (overall and per operation) of
 * the 2xx responses, and every other outcome counted by kind. Thread-safe: completions arrive on event-loop threads.
 */
final class PhaseResult {

  private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

  private final String target;
  private final double rate;
  private final Histogram all = histogram();
  private final Map<Op, Histogram> byOp = new EnumMap<>(Op.class);
  private final Map<String, Long> errors = new TreeMap<>();
  private long expected;
  private long measuredNanos;

  PhaseResult(String target, double rate) {
    this.target = target;
    this.rate = rate;
    for (Op op : Op.values()) {
      byOp.put(op, histogram());
    }
  }

  private static Histogram histogram() {
    return new Histogram(1, MAX_MICROS, 3);
  }

  String target() {
    return target;
  }

  /** Requests per second scheduled (open loop), or 0 for a closed-loop (saturation) phase. */
  double rate() {
    return rate;
  }

  synchronized void recordSuccess(Op op, long latencyNanos) {
    long micros = Math.max(1, Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    all.recordValue(micros);
    byOp.get(op).recordValue(micros);
  }

  synchronized void recordError(String kind) {
    errors.merge(kind, 1L, Long::sum);
  }

  synchronized void recordErrors(String kind, long n) {
    if (n > 0) {
      errors.merge(kind, n, Long::sum);
    }
  }

  /** Adds another phase's counts (e.g. a second round of the same target and rate). */
  synchronized void add(PhaseResult other) {
    synchronized (other) {
      all.add(other.all);
      other.byOp.forEach((op, h) -> byOp.get(op).add(h));
      other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      expected += other.expected;
      measuredNanos += other.measuredNanos;
    }
  }

  synchronized void setExpected(long n) {
    expected = n;
  }

  synchronized void setMeasuredNanos(long nanos) {
    measuredNanos = nanos;
  }

  /** Requests that should have been measured (scheduled in the measured window; closed loop: sent in it). */
  synchronized long expected() {
    return expected;
  }

  synchronized long successes() {
    return all.getTotalCount();
  }

  synchronized long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  synchronized Map<String, Long> errors() {
    return new TreeMap<>(errors);
  }

  /** Successful requests per second over the measured time. */
  synchronized double throughput() {
    return measuredNanos == 0 ? 0 : all.getTotalCount() * 1e9 / measuredNanos;
  }

  /** The latency at {@code percentile} (0..100) in milliseconds, overall. */
  synchronized double millis(double percentile) {
    return all.getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized double maxMillis() {
    return all.getMaxValue() / 1000.0;
  }

  synchronized double millis(Op op, double percentile) {
    return byOp.get(op).getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized long count(Op op) {
    return byOp.get(op).getTotalCount();
  }

  /** Latencies at or above {@code thresholdNanos} (for tests). */
  synchronized long countAtOrAbove(long thresholdNanos) {
    long micros = TimeUnit.NANOSECONDS.toMicros(thresholdNanos);
    return all.getTotalCount() - all.getCountBetweenValues(0, all.lowestEquivalentValue(micros) - 1);
  }
}

package dev.vigil.bench.report;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (the same definition the module benches print). */
public final class Percentiles {

  private final double[] sorted;

  private Percentiles(double[] sorted) {
    this.sorted = sorted;
  }

  /** Copies and sorts the values; an empty sample is allowed (every percentile is then NaN). */
  public static Percentiles of(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return new Percentiles(s);
  }

  public int count() {
    return sorted.length;
  }

  /** The smallest value such that at least p% of the sample is less than or equal to it (0 < p <= 100). */
  public double at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}

package dev.vigil.bench.proxy;

import java.util.Locale;

/**
 * The comparisons the report makes. Added latency is the difference of two percentiles (proxy p99 minus direct p99),
 * not a percentile of per-request differences: the two runs are separate samples.
 */
final class Overhead {

  static final double[] PERCENTILES = {50, 99, 99.9};

  private Overhead() {}

  /** Whether a phase can back a verdict: something succeeded and at most 1% of the expected requests failed. */
  static boolean usable(PhaseResult p) {
    return p.successes() > 0 && p.errorCount() * 100 <= Math.max(1, p.expected());
  }

  /** {@link #verdict} when every phase behind it is {@link #usable}, else "NO VERDICT" naming the errors. */
  static String verdict(double value, double limit, boolean atMost, String unit, PhaseResult... behind) {
    for (PhaseResult p : behind) {
      if (!usable(p)) {
        return "NO VERDICT (" + p.target() + ": " + p.successes() + " ok, " + p.errorCount() + " errors)";
      }
    }
    return verdict(value, limit, atMost, unit);
  }

  /** {@code proxy}'s percentile minus {@code base}'s, in milliseconds. */
  static double added(PhaseResult proxy, PhaseResult base, double percentile) {
    return proxy.millis(percentile) - base.millis(percentile);
  }

  /** a / b, NaN when b is 0. */
  static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }

  /**
   * "PASS" when {@code value} meets {@code limit} ({@code <=} when {@code atMost}, else {@code >=}), otherwise
   * "SHORT BY" the gap in {@code unit} ("%" turns fractions into percentage points).
   */
  static String verdict(double value, double limit, boolean atMost, String unit) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    boolean pass = atMost ? value <= limit : value >= limit;
    if (pass) {
      return "PASS";
    }
    double gap = Math.abs(value - limit);
    return "SHORT BY " + (unit.equals("%") ? fmt(gap * 100) + " points" : fmt(gap) + " " + unit);
  }

  /** Milliseconds (or any value) with 2 decimals below 10, 1 below 1000, none above. */
  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a < 10 ? "%.2f" : a < 1000 ? "%.1f" : "%.0f", v);
  }

  /** A signed difference, e.g. "+0.42". */
  static String signed(double v) {
    return Double.isNaN(v) ? "n/a" : (v >= 0 ? "+" : "") + fmt(v);
  }

  /** A rate: "1000", or "12.5" when not whole. */
  static String rate(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : fmt(r);
  }

  static String ratioText(double r) {
    return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2fx", r);
  }

  static String percentText(double fraction) {
    return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }
}

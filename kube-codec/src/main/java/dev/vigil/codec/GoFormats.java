package dev.vigil.codec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JSON spellings Go's apimachinery uses for times and durations. */
final class GoFormats {

  private static final DateTimeFormatter RFC3339_MICRO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private GoFormats() {}

  /** metav1.Time: RFC 3339 in UTC, whole seconds (the API server drops sub-second precision). */
  static String time(long seconds) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds));
  }

  /** metav1.MicroTime: RFC 3339 in UTC with exactly six fractional digits. */
  static String microTime(long seconds, int nanos) {
    return RFC3339_MICRO.format(Instant.ofEpochSecond(seconds, nanos));
  }

  /** Go's {@code time.Duration.String()}: {@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}. */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    // Long.MIN_VALUE has no positive counterpart: unsigned arithmetic as Go does
    long u = negative ? -nanos : nanos;
    StringBuilder out = new StringBuilder();
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      int prec;
      String unit;
      if (u < 1_000L) {
        prec = 0;
        unit = "ns";
      } else if (u < 1_000_000L) {
        prec = 3;
        unit = "\u00b5s";
      } else {
        prec = 6;
        unit = "ms";
      }
      long scale = pow10(prec);
      out.append(u / scale).append(fraction(u % scale, prec)).append(unit);
    } else {
      long seconds = Long.divideUnsigned(u, 1_000_000_000L);
      String frac = fraction(Long.remainderUnsigned(u, 1_000_000_000L), 9);
      long minutes = seconds / 60;
      long hours = minutes / 60;
      if (hours > 0) {
        out.append(hours).append('h');
      }
      if (minutes > 0) {
        out.append(minutes % 60).append('m');
      }
      out.append(seconds % 60).append(frac).append('s');
    }
    return negative ? "-" + out : out.toString();
  }

  private static String fraction(long value, int digits) {
    if (digits == 0 || value == 0) {
      return "";
    }
    String s = String.format("%0" + digits + "d", value);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') {
      end--;
    }
    return "." + s.substring(0, end);
  }

  private static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }
}

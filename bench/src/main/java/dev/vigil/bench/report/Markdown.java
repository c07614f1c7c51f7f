package dev.vigil.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The few Markdown pieces the fragments are made of: tables, numbers, durations, the standard target line. */
public final class Markdown {

  private Markdown() {}

  private static final Pattern NUMBER = Pattern.compile("^[-+×]?[\\d.,]+(?: ?(?:s|ms|%|MiB))?$|^\\?$|^$");

  /**
   * A GitHub-flavoured table; a column whose cells are all numbers (with a unit, or "?") is right-aligned, the first
   * column never. Cells have | escaped.
   */
  public static String table(List<String> header, List<List<String>> rows) {
    for (List<String> r : rows) {
      if (r.size() != header.size()) {
        throw new IllegalArgumentException("row has " + r.size() + " cells, header " + header.size() + ": " + r);
      }
    }
    StringBuilder b = new StringBuilder();
    row(b, header);
    b.append('|');
    for (int i = 0; i < header.size(); i++) {
      int column = i;
      boolean numeric = i > 0 && rows.stream().allMatch(r -> NUMBER.matcher(r.get(column)).matches());
      b.append(numeric ? " ---: |" : " --- |");
    }
    b.append('\n');
    rows.forEach(r -> row(b, r));
    return b.toString();
  }

  private static void row(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String c : cells) {
      b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    b.append('\n');
  }

  /** Milliseconds with a precision that suits the magnitude: 0.42, 12.3, 1,234. */
  public static String millis(double ms) {
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    return ms < 100 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%,.0f", ms);
  }

  /** A ratio as {@code ×1.23}. */
  public static String ratio(double r) {
    return String.format(Locale.ROOT, "×%.2f", r);
  }

  /**
   * The line bench/run.sh collects into the closing note: {@code **Target** what: met|missed (measured ...)}.
   * {@code met} null means "not measured".
   */
  public static String target(String what, Boolean met, String measured) {
    String verdict = met == null ? "not measured" : met ? "met" : "missed";
    return "**Target** " + what + ": " + verdict + " (" + measured + ")\n";
  }
}

package dev.vigil.app.fault;

/**
 * The size of the fault suite: system property {@code vigil.fault.scale} (default 1, the CI size; e.g. 5 or 10 for a
 * manual run). The load of every test is proportional to it; the outages keep their length.
 */
final class FaultScale {

  static final String PROPERTY = "vigil.fault.scale";

  private FaultScale() {}

  static int scale() {
    int s = Integer.getInteger(PROPERTY, 1);
    if (s < 1 || s > 1000) {
      throw new IllegalArgumentException(PROPERTY + " must be 1..1000, got " + s);
    }
    return s;
  }

  /** A number of calls: {@code base * scale}. */
  static int calls(int base) {
    return base * scale();
  }
}

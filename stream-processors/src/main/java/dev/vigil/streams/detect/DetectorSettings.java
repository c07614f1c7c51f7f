package dev.vigil.streams.detect;

/** PLACEHOLDER (replaced by the detectors work at merge): the detectors' settings; none yet. */
public final class DetectorSettings {

  private DetectorSettings() {}

  /** Reads the detectors' keys (none yet). */
  public static DetectorSettings from(dev.vigil.common.Settings s) {
    return new DetectorSettings();
  }
}

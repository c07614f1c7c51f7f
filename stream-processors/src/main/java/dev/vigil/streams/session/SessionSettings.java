package dev.vigil.streams.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The sessionizer's limits.
 *
 * @param inactivityGap an event later than the open session's last event plus this opens the next session
 * @param grace after last event + gap + grace (wall clock) the open session is closed and signed
 * @param updateInterval how often (wall clock) changed open sessions are emitted
 * @param maxCountKeys distinct keys per count map (verb, resource, namespace, channel); further keys count as
 *     {@value #OTHER}
 */
public record SessionSettings(Duration inactivityGap, Duration grace, Duration updateInterval, int maxCountKeys) {

  /** The count-map key that collects values beyond {@link #maxCountKeys()}. */
  public static final String OTHER = "(other)";

  public SessionSettings {
    Objects.requireNonNull(inactivityGap, "inactivityGap");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(updateInterval, "updateInterval");
    if (inactivityGap.isNegative() || inactivityGap.isZero() || grace.isNegative() || updateInterval.isNegative()
        || updateInterval.isZero() || maxCountKeys < 1) {
      throw new IllegalArgumentException("invalid session settings: " + inactivityGap + ", " + grace + ", "
          + updateInterval + ", " + maxCountKeys);
    }
  }

  /** How long after its last event (wall clock) an open session is closed: gap + grace. */
  public Duration lifetime() {
    return inactivityGap.plus(grace);
  }
}

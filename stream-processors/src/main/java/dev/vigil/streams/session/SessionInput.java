package dev.vigil.streams.session;

import java.util.Objects;

import dev.vigil.schema.Alert;

/**
 * What the sessionizer reads (in memory, never serialized): a new event, an event seen before (counted in
 * {@code duplicatesSkipped} only), or an alert to stamp with the session id. Exactly one of {@code event} and
 * {@code alert} is set.
 */
public record SessionInput(RawEvent event, boolean duplicate, Alert alert) {

  public SessionInput {
    if ((event == null) == (alert == null) || (duplicate && event == null)) {
      throw new IllegalArgumentException("a session input is an event, a duplicate event or an alert");
    }
  }

  public static SessionInput event(RawEvent event) {
    return new SessionInput(Objects.requireNonNull(event), false, null);
  }

  public static SessionInput duplicate(RawEvent event) {
    return new SessionInput(Objects.requireNonNull(event), true, null);
  }

  public static SessionInput alert(Alert alert) {
    return new SessionInput(null, false, Objects.requireNonNull(alert));
  }

  /** A new (not duplicate) event. */
  public boolean isNewEvent() {
    return event != null && !duplicate;
  }
}

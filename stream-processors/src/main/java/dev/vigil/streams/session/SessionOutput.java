package dev.vigil.streams.session;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;

/**
 * What the sessionizer emits (in memory): a summary for the sessions topic (record key = session id) or a stamped
 * alert for the alerts topic (record key = session key). Exactly one is set.
 */
public record SessionOutput(SessionSummary summary, Alert alert) {

  public SessionOutput {
    if ((summary == null) == (alert == null)) {
      throw new IllegalArgumentException("a session output is a summary or an alert");
    }
  }

  public static SessionOutput summary(SessionSummary summary) {
    return new SessionOutput(summary, null);
  }

  public static SessionOutput alert(Alert alert) {
    return new SessionOutput(null, alert);
  }

  public boolean isSummary() {
    return summary != null;
  }
}

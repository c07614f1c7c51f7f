package dev.vigil.schema;

/** Names of the public Kafka topics. */
public final class Topics {
  /** Everything the gateway observes, keyed by session key. */
  public static final String EVENTS = "vigil.events.v1";
  /** Session summaries, keyed by session id ({@code <session key>#<first event id>}) and compacted. */
  public static final String SESSIONS = "vigil.sessions.v1";
  /** Alerts from the detectors. */
  public static final String ALERTS = "vigil.alerts.v1";
  /** Poison records, with the reason in headers. */
  public static final String DLQ = "vigil.dlq.v1";

  private Topics() {}
}

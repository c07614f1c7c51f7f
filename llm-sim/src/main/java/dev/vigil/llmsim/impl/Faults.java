package dev.vigil.llmsim.impl;

/** Fault modes, selected by the requested model name (exact match). */
enum Faults {
  NONE(null),
  /** The response starts, then the connection is closed mid-body (no {@code message_stop} / {@code [DONE]}). */
  DISCONNECT_MID_STREAM("fault-disconnect-mid-stream"),
  /** The response starts, then an event whose {@code data} is cut-off JSON, then the response ends normally. */
  MALFORMED_SSE("fault-malformed-sse"),
  /** Nothing (not even the status line) for {@code slowFirstByteDelay}, then a normal reply. */
  SLOW_FIRST_BYTE("fault-slow-first-byte"),
  /** 500 with the provider's {@code api_error} / {@code server_error} body. */
  HTTP_500("fault-500");

  private final String model;

  Faults(String model) {
    this.model = model;
  }

  String model() {
    return model;
  }

  static Faults of(String model) {
    for (Faults f : values()) {
      if (f.model != null && f.model.equals(model)) {
        return f;
      }
    }
    return NONE;
  }
}

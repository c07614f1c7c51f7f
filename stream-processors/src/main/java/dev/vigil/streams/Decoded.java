package dev.vigil.streams;

import dev.vigil.streams.session.RawEvent;

/**
 * The decode stage's output (in memory): the decoded event, or — for a poison record — its original value bytes
 * (which go to the DLQ unchanged; the reason is in the record's headers).
 */
record Decoded(RawEvent event, byte[] poison) {

  static Decoded ok(RawEvent event) {
    return new Decoded(event, null);
  }

  static Decoded poison(byte[] original) {
    return new Decoded(null, original);
  }

  boolean isPoison() {
    return event == null;
  }
}

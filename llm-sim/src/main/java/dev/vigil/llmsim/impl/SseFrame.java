package dev.vigil.llmsim.impl;

import io.vertx.core.json.JsonObject;

/**
 * One server-sent event as written on the wire: {@code event: <name>} (Anthropic) when named, {@code data: <json>}
 * and a blank line. {@link #text()} is the exact text.
 */
record SseFrame(String event, String data) {

  static SseFrame event(String event, JsonObject data) {
    return new SseFrame(event, data.encode());
  }

  static SseFrame data(String data) {
    return new SseFrame(null, data);
  }

  String text() {
    return (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
  }

  /** The same event with its data cut in the middle of the JSON: what {@code fault-malformed-sse} sends. */
  SseFrame malformed() {
    return new SseFrame(event, data.substring(0, Math.max(1, data.length() / 2)));
  }
}

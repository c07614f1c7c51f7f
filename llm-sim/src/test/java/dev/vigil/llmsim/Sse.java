package dev.vigil.llmsim;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately simple, independent server-sent-events parser (per the WHATWG rules the tests need): lines end with
 * LF or CRLF; {@code event:} and {@code data:} fields (one optional space after the colon); several data lines are
 * joined with LF; a blank line dispatches; lines starting with {@code :} are comments. Text after the last blank line
 * (an event never dispatched) is reported in {@link Parsed#rest()}.
 */
final class Sse {

  record Event(String event, String data) {}

  record Parsed(List<Event> events, String rest) {}

  private Sse() {}

  static Parsed parse(String text) {
    List<Event> events = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(event, data.toString()));
        }
        event = null;
        data = null;
        pending.setLength(0);
        continue;
      }
      pending.append(line).append('\n');
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("event")) {
        event = value;
      } else if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return new Parsed(events, pending.toString());
  }
}

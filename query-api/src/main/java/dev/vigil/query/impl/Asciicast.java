package dev.vigil.query.impl;

import java.math.BigDecimal;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An exec/attach session as an asciicast v2 recording (https://docs.asciinema.org/manual/asciicast/v2/): a header line
 * {@code {"version":2,"width","height","timestamp","title"}}, then one {@code [seconds, "o"|"i", data]} line per frame
 * — stdout and stderr (channels 1, 2) are output {@code "o"}, stdin (channel 0) input {@code "i"}; frames without a
 * channel number go by direction. Times are relative to the first frame. The size is the first resize frame's
 * (channel 4, {@code {"Width":..,"Height":..}}), else 80x24; the error channel (3, the exit status) and later resizes
 * are not replayed. Frame data is what the gateway recorded: masked, possibly truncated (flagged in the events).
 */
final class Asciicast {

  static final String CONTENT_TYPE = "application/x-asciicast";
  static final int DEFAULT_WIDTH = 80;
  static final int DEFAULT_HEIGHT = 24;

  private Asciicast() {}

  /** The recording of {@code frames} (StreamFrame documents of one call, in order). */
  static String render(List<JsonObject> frames, String title) {
    long t0 = Step.timeMillis(frames.get(0));
    int width = DEFAULT_WIDTH;
    int height = DEFAULT_HEIGHT;
    for (JsonObject f : frames) {
      if (channel(f) == 4) {
        JsonObject size = Llm.parseObject(Bodies.text(f));
        if (size != null && size.getValue("Width") instanceof Number w && size.getValue("Height") instanceof Number h
            && w.intValue() > 0 && h.intValue() > 0) {
          width = w.intValue();
          height = h.intValue();
        }
        break;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(new JsonObject().put("version", 2).put("width", width).put("height", height)
        .put("timestamp", t0 / 1000).put("title", title).encode()).append('\n');
    for (JsonObject f : frames) {
      String code = code(f);
      String data = Bodies.text(f);
      if (code == null || data == null || data.isEmpty()) {
        continue;
      }
      BigDecimal seconds = BigDecimal.valueOf(Math.max(0, Step.timeMillis(f) - t0), 3);
      out.append(new JsonArray().add(seconds.doubleValue()).add(code).add(data).encode()).append('\n');
    }
    return out.toString();
  }

  /** "o", "i", or null for a frame that is not replayed. */
  static String code(JsonObject frame) {
    int ch = channel(frame);
    if (ch >= 0) {
      return ch == 0 ? "i" : ch == 1 || ch == 2 ? "o" : null;
    }
    String direction = Documents.string(frame, "frame", "direction");
    return "TO_UPSTREAM".equals(direction) ? "i" : "TO_CLIENT".equals(direction) ? "o" : null;
  }

  private static int channel(JsonObject frame) {
    Long ch = Documents.number(frame, "frame", "channelNumber");
    return ch == null ? -1 : ch.intValue();
  }
}

package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.json.JsonObject;

/** The steps of one recorded call: a Kubernetes call (plus its stream) or an LLM exchange; and of a recording gap. */
final class CallSteps {

  private CallSteps() {}

  /** The steps of the call whose events (in order) are {@code events}; {@code castUrl} names its exec replay. */
  static List<Step> call(List<JsonObject> events, String castUrl) {
    JsonObject request = first(events, "request");
    JsonObject end = first(events, "response");
    JsonObject error = first(events, "error");
    List<JsonObject> frames = events.stream().filter(e -> "frame".equals(e.getString("type"))).toList();
    JsonObject base = request != null ? request : events.get(0);
    boolean denied = request != null && "DENY".equals(Documents.string(request, "decision", "effect"));
    boolean llm = "LLM".equals(base.getString("channel"));
    List<Step> out = new ArrayList<>();
    Step main = new Step(denied ? "denied" : llm ? "llm-prompt" : "kubernetes", base,
        llm ? LlmSteps.promptTitle(base) : Kubectl.render(base));
    main.decision = decision(request);
    main.status = status(end != null ? end : error);
    main.detail = llm && !denied ? LlmSteps.promptDetail(request) : withBody(outcome(end, error), request);
    boolean replayable = frames.stream().anyMatch(CallSteps::isExecFrame);
    main.execReplay = replayable ? castUrl : null;
    events.forEach(e -> main.eventIds.add(e.getString("eventId")));
    out.add(main);
    if (llm && !denied && (end != null || error != null || !frames.isEmpty())) {
      out.addAll(LlmSteps.reply(base, end, error, frames));
    } else if (!llm && !frames.isEmpty()) {
      Step stream = new Step("stream", frames.get(0), streamTitle(frames));
      stream.detail = streamText(frames);
      stream.execReplay = main.execReplay;
      frames.forEach(f -> stream.eventIds.add(f.getString("eventId")));
      out.add(stream);
    }
    return out;
  }

  /** A recording gap: events of the session the gateway could not record. */
  static Step gap(JsonObject event) {
    JsonObject gap = event.getJsonObject("gap", new JsonObject());
    Step s = new Step("gap", event, gap.getValue("eventsLost") + " events not recorded ("
        + gap.getString("reason", "UNKNOWN") + ")");
    Object ids = gap.getValue("lostRequestIds");
    s.detail = "requests affected: " + (ids == null ? "[]" : ids.toString());
    s.eventIds.add(event.getString("eventId"));
    return s;
  }

  static boolean isExecFrame(JsonObject frame) {
    String stream = Documents.string(frame, "frame", "stream");
    return "EXEC".equals(stream) || "ATTACH".equals(stream);
  }

  static JsonObject decision(JsonObject request) {
    JsonObject d = request == null ? null : request.getJsonObject("decision");
    return d == null ? null : new JsonObject().put("effect", d.getString("effect")).put("ruleId", d.getString("ruleId"))
        .put("reason", d.getString("reason"));
  }

  static Integer status(JsonObject terminal) {
    Object s = terminal == null ? null : terminal.getValue("status");
    if (s instanceof Number n) {
      return n.intValue();
    }
    try {
      return s == null ? null : Integer.valueOf(s.toString());
    } catch (NumberFormatException e) {
      return null; // a status that is not a number is not shown
    }
  }

  /** What a write sent (its masked request body, capped) after the outcome, so the story shows what was created. */
  private static String withBody(String outcome, JsonObject request) {
    String body = request == null ? null : Bodies.text(request);
    if (body == null || body.isBlank()) {
      return outcome;
    }
    String sent = "sent: " + Bodies.cap(body);
    return outcome == null ? sent : outcome + "\n" + sent;
  }

  static String outcome(JsonObject end, JsonObject error) {
    List<String> parts = new ArrayList<>();
    if (error != null) {
      parts.add("upstream error " + Documents.string(error, "error", "errorType") + ": "
          + Documents.string(error, "error", "message"));
    }
    if (end != null && end.getString("outcome") != null && !"COMPLETED".equals(end.getString("outcome"))) {
      parts.add("outcome " + end.getString("outcome"));
    }
    Long dropped = end == null ? null : Documents.number(end, "framesDropped");
    if (dropped != null && dropped > 0) {
      parts.add(dropped + " frames relayed but not recorded");
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private static String streamTitle(List<JsonObject> frames) {
    Map<String, Integer> byChannel = new TreeMap<>();
    for (JsonObject f : frames) {
      byChannel.merge(channelName(f), 1, Integer::sum);
    }
    String stream = Documents.string(frames.get(0), "frame", "stream");
    return (stream == null ? "stream" : stream.toLowerCase(java.util.Locale.ROOT)) + ": " + frames.size()
        + " frames " + byChannel;
  }

  private static String channelName(JsonObject f) {
    Long ch = Documents.number(f, "frame", "channelNumber");
    if (ch != null && CallSteps.isExecFrame(f)) {
      return switch (ch.intValue()) {
        case 0 -> "stdin";
        case 1 -> "stdout";
        case 2 -> "stderr";
        case 3 -> "error";
        case 4 -> "resize";
        default -> "channel " + ch;
      };
    }
    String type = Documents.string(f, "frame", "watchEventType");
    return type != null ? type : String.valueOf(Documents.string(f, "frame", "direction")).toLowerCase(java.util.Locale.ROOT);
  }

  /** The text the stream carried, in order (stdin prefixed with "> "), cut to the detail cap. */
  private static String streamText(List<JsonObject> frames) {
    StringBuilder sb = new StringBuilder();
    for (JsonObject f : frames) {
      String text = Bodies.text(f);
      if (text == null || "resize".equals(channelName(f))) {
        continue;
      }
      sb.append("stdin".equals(channelName(f)) ? "> " : "").append(text);
      if (sb.length() > Bodies.DETAIL_MAX_CHARS) {
        break;
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static JsonObject first(List<JsonObject> events, String type) {
    for (JsonObject e : events) {
      if (type.equals(e.getString("type"))) {
        return e;
      }
    }
    return null;
  }
}

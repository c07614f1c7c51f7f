package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A session as readable steps, in the order its calls began (chain order): each call's events become a
 * {@code kubernetes} or {@code denied} step (kubectl-style title, status, decision), followed by a {@code stream} step
 * when it carried frames (exec replay link for exec/attach); LLM calls become {@code llm-prompt}, {@code llm-reply} and
 * {@code tool-use} steps; recording gaps {@code gap} steps. Each alert is an {@code alert} step placed right after the
 * last step holding its evidence (by time when none of its evidence is in the transcript), and the evidence steps list
 * its id in {@code alertIds}.
 */
final class Transcript {

  private Transcript() {}

  static JsonArray steps(String sessionId, List<JsonObject> events, List<JsonObject> alerts) {
    List<Step> steps = new ArrayList<>();
    for (List<JsonObject> call : calls(events)) {
      JsonObject first = call.get(0);
      if ("gap".equals(first.getString("type"))) {
        steps.add(CallSteps.gap(first));
      } else {
        steps.addAll(CallSteps.call(call, castUrl(sessionId, first.getString("requestId"))));
      }
    }
    return place(steps, alerts);
  }

  /** {@code /api/v1/sessions/{sessionId}/exec/{requestId}.cast}, both path segments encoded. */
  static String castUrl(String sessionId, String requestId) {
    return "/api/v1/sessions/" + Documents.segment(sessionId) + "/exec/" + Documents.segment(requestId) + ".cast";
  }

  /** Events grouped by call (request id) in order of each call's first event; each gap event alone. */
  private static List<List<JsonObject>> calls(List<JsonObject> events) {
    Map<String, List<JsonObject>> byCall = new LinkedHashMap<>();
    for (JsonObject e : events) {
      String key = "gap".equals(e.getString("type")) || e.getString("requestId") == null
          ? "event:" + e.getString("eventId") : "call:" + e.getString("requestId");
      byCall.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
    }
    return new ArrayList<>(byCall.values());
  }

  private static JsonArray place(List<Step> steps, List<JsonObject> alerts) {
    Map<String, Integer> stepOfEvent = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      for (String id : steps.get(i).eventIds) {
        stepOfEvent.put(id, i);
      }
    }
    // anchor = index of the step an alert follows; -1 = before the first step
    Map<Integer, List<Step>> after = new HashMap<>();
    for (JsonObject alert : alerts) {
      int anchor = -2;
      for (Object id : alert.getJsonArray("evidenceEventIds", new JsonArray())) {
        Integer i = stepOfEvent.get(String.valueOf(id));
        if (i != null) {
          steps.get(i).alertIds.add(alert.getString("id"));
          anchor = Math.max(anchor, i);
        }
      }
      // after the whole call (its stream step too), not between the call and its stream
      while (anchor >= 0 && anchor + 1 < steps.size() && steps.get(anchor).requestId != null
          && steps.get(anchor).requestId.equals(steps.get(anchor + 1).requestId)) {
        anchor++;
      }
      Step step = alertStep(alert, anchor >= 0 ? steps.get(anchor).requestId : null);
      if (anchor == -2) {
        anchor = -1;
        for (int i = 0; i < steps.size() && steps.get(i).millis <= step.millis; i++) {
          anchor = i;
        }
      }
      after.computeIfAbsent(anchor, k -> new ArrayList<>()).add(step);
    }
    JsonArray out = new JsonArray();
    after.getOrDefault(-1, List.of()).forEach(s -> out.add(s.json()));
    for (int i = 0; i < steps.size(); i++) {
      out.add(steps.get(i).json());
      after.getOrDefault(i, List.of()).forEach(s -> out.add(s.json()));
    }
    return out;
  }

  private static Step alertStep(JsonObject alert, String requestId) {
    Long millis = Documents.number(alert, "timeMillis");
    Step s = new Step("alert", alert.getString("time"), millis == null ? 0 : millis, requestId,
        alert.getString("severity", "") + " " + alert.getString("type", "alert"));
    s.detail = alert.getString("description");
    s.alertIds.add(alert.getString("id"));
    return s;
  }
}

package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One transcript step (contract: kind, time, requestId, title, status, decision, detail, alertIds, execReplay). */
final class Step {

  final String kind;
  final String time;
  final long millis;
  final String requestId;
  final String title;
  Integer status;
  JsonObject decision;
  String detail;
  String execReplay;
  final List<String> alertIds = new ArrayList<>();
  /** The events this step shows (for placing alerts after their evidence). */
  final List<String> eventIds = new ArrayList<>();

  Step(String kind, JsonObject event, String title) {
    this(kind, event.getString("time"), timeMillis(event), event.getString("requestId"), title);
  }

  Step(String kind, String time, long millis, String requestId, String title) {
    this.kind = kind;
    this.time = time;
    this.millis = millis;
    this.requestId = requestId;
    this.title = title;
  }

  static long timeMillis(JsonObject doc) {
    Long m = Documents.number(doc, "timeMillis");
    return m == null ? 0 : m;
  }

  JsonObject json() {
    return new JsonObject()
        .put("kind", kind)
        .put("time", time)
        .put("requestId", requestId)
        .put("title", title)
        .put("status", status)
        .put("decision", decision)
        .put("detail", Bodies.cap(detail))
        .put("alertIds", new JsonArray(new ArrayList<>(alertIds)))
        .put("execReplay", execReplay);
  }
}

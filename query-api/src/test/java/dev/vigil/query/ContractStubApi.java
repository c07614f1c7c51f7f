package dev.vigil.query;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.vigil.indexer.EventDocuments;
import dev.vigil.query.impl.UiRoutes;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * TEST-ONLY STUB of the issue 6 query API endpoints — NOT the real API. It exists so the UI browser test can run before
 * the real {@code /api/v1/sessions…} and {@code /api/v1/alerts} endpoints are merged; {@link UiBrowserIT} switches to
 * the real {@link QueryApi} with a one-line change. It answers in the JSON shapes of ISSUE6-CONTRACT.md from the
 * documents seeded into OpenSearch (read on every request), serves the real UI with the real {@link UiRoutes}, and
 * accepts exactly one bearer token. Filtering, paging, transcript steps and verification are simple in-memory versions
 * of what the contract describes (verify really recomputes the hash chain from {@code raw}, re-derives each document
 * and checks the Ed25519 signature).
 */
final class ContractStubApi {

  private final UiSeedData.OpenSearchRest os;
  private final String token;
  private final PublicKey signingKey;
  private HttpServer server;

  private ContractStubApi(UiSeedData.OpenSearchRest os, String token, PublicKey signingKey) {
    this.os = os;
    this.token = token;
    this.signingKey = signingKey;
  }

  static Future<ContractStubApi> start(Vertx vertx, String openSearchUrl, String token, PublicKey signingKey) {
    ContractStubApi stub = new ContractStubApi(new UiSeedData.OpenSearchRest(openSearchUrl), token, signingKey);
    Router router = Router.router(vertx);
    UiRoutes.mount(router);
    router.route("/api/*").handler(stub::authenticate);
    router.get("/api/v1/sessions").blockingHandler(stub::searchSessions);
    router.get("/api/v1/sessions/:id").blockingHandler(stub::session);
    router.get("/api/v1/sessions/:id/transcript").blockingHandler(stub::transcript);
    router.get("/api/v1/sessions/:id/exec/:cast").blockingHandler(stub::cast);
    router.get("/api/v1/sessions/:id/export").blockingHandler(stub::export);
    router.post("/api/v1/sessions/:id/verify").blockingHandler(stub::verify);
    router.get("/api/v1/alerts").blockingHandler(stub::searchAlerts);
    router.route().failureHandler(ctx -> error(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "internal",
        ctx.failure() == null ? "failed" : ctx.failure().toString()));
    router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "No such resource: " + ctx.request().path()));
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(s -> {
      stub.server = s;
      return stub;
    });
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // --- handlers -------------------------------------------------------------------------------------------------------

  private void authenticate(RoutingContext ctx) {
    if (!("Bearer " + token).equals(ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, "unauthorized", "Missing or invalid bearer token");
      return;
    }
    ctx.next();
  }

  private void searchSessions(RoutingContext ctx) {
    Map<String, String> p = params(ctx);
    List<JsonObject> all = os.all(UiSeedData.SESSIONS_INDEX);
    List<JsonObject> events = p.containsKey("q") ? allEvents() : List.of();
    Predicate<JsonObject> match = s -> {
      JsonObject id = s.getJsonObject("identity", new JsonObject());
      return (!p.containsKey("identity") || p.get("identity").equals(id.getString("username")) || p.get("identity").equals(id.getString("subject")))
          && (!p.containsKey("group") || id.getJsonArray("groups", new JsonArray()).contains(p.get("group")))
          && (!p.containsKey("namespace") || s.getJsonArray("namespaces", new JsonArray()).contains(p.get("namespace")))
          && (!p.containsKey("verb") || s.getJsonArray("verbs", new JsonArray()).contains(p.get("verb")))
          && (!p.containsKey("resource") || s.getJsonArray("resources", new JsonArray()).contains(p.get("resource")))
          && (!p.containsKey("channel") || s.getJsonArray("channels", new JsonArray()).contains(p.get("channel")))
          && (!p.containsKey("hasAlerts") || Boolean.parseBoolean(p.get("hasAlerts")) == s.getBoolean("hasAlerts", false))
          && (!p.containsKey("status") || p.get("status").equals(s.getString("status")))
          && (!p.containsKey("from") || s.getLong("lastEventTimeMillis") >= Instant.parse(p.get("from")).toEpochMilli())
          && (!p.containsKey("to") || s.getLong("firstEventTimeMillis") <= Instant.parse(p.get("to")).toEpochMilli())
          && (!p.containsKey("q") || sessionEvents(events, s).stream().anyMatch(e -> bodyText(e).toLowerCase(Locale.ROOT)
              .contains(p.get("q").replace("\"", "").toLowerCase(Locale.ROOT))));
    };
    String sort = p.getOrDefault("sort", "lastEventTime");
    Comparator<JsonObject> order = switch (sort) {
      case "firstEventTime" -> Comparator.comparing(s -> s.getLong("firstEventTimeMillis"));
      case "alertCount" -> Comparator.comparing(s -> s.getLong("alertCount"));
      default -> Comparator.comparing(s -> s.getLong("lastEventTimeMillis"));
    };
    if (!"asc".equals(p.get("order"))) {
      order = order.reversed();
    }
    page(ctx, p, all.stream().filter(match).sorted(order.thenComparing(s -> s.getString("sessionId"))).toList(), "sessions");
  }

  private void searchAlerts(RoutingContext ctx) {
    Map<String, String> p = params(ctx);
    Predicate<JsonObject> match = a -> {
      JsonObject id = a.getJsonObject("identity", new JsonObject());
      return (!p.containsKey("type") || p.get("type").equals(a.getString("type")))
          && (!p.containsKey("severity") || p.get("severity").equals(a.getString("severity")))
          && (!p.containsKey("identity") || p.get("identity").equals(id.getString("username")) || p.get("identity").equals(id.getString("subject")))
          && (!p.containsKey("sessionId") || p.get("sessionId").equals(a.getString("sessionId")))
          && (!p.containsKey("from") || a.getLong("timeMillis") >= Instant.parse(p.get("from")).toEpochMilli())
          && (!p.containsKey("to") || a.getLong("timeMillis") <= Instant.parse(p.get("to")).toEpochMilli())
          && (!p.containsKey("q") || a.getString("description", "").toLowerCase(Locale.ROOT).contains(p.get("q").toLowerCase(Locale.ROOT)));
    };
    page(ctx, p, os.all(UiSeedData.ALERTS_INDEX).stream().filter(match)
        .sorted(Comparator.comparing((JsonObject a) -> a.getLong("timeMillis")).reversed()).toList(), "alerts");
  }

  /** size + searchAfter: the opaque cursor is the position in the sorted list (base64url, so it is opaque). */
  private static void page(RoutingContext ctx, Map<String, String> p, List<JsonObject> sorted, String field) {
    int size = Integer.parseInt(p.getOrDefault("size", "50"));
    if (size < 1 || size > 200) {
      error(ctx, 400, "bad_request", "Query parameter 'size' must be between 1 and 200, was " + size);
      return;
    }
    int from = p.containsKey("searchAfter")
        ? Integer.parseInt(new String(Base64.getUrlDecoder().decode(p.get("searchAfter")), StandardCharsets.UTF_8)) : 0;
    int to = Math.min(sorted.size(), from + size);
    JsonArray items = new JsonArray();
    for (JsonObject o : sorted.subList(Math.min(from, to), to)) {
      items.add(withId(o, field.equals("sessions") ? o.getString("sessionId") : o.getString("alertId")));
    }
    String next = to < sorted.size()
        ? Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
    ctx.json(new JsonObject().put(field, items).put("total", sorted.size()).put("nextSearchAfter", next));
  }

  private void session(RoutingContext ctx) {
    JsonObject s = findSession(ctx);
    if (s == null) {
      return;
    }
    JsonArray events = new JsonArray();
    for (JsonObject e : sessionEvents(allEvents(), s)) {
      events.add(withoutRaw(e));
    }
    JsonArray alerts = new JsonArray();
    sessionAlerts(s).forEach(a -> alerts.add(withId(a, a.getString("alertId"))));
    ctx.json(new JsonObject().put("session", withId(s, s.getString("sessionId"))).put("alerts", alerts).put("events", events)
        .put("eventsTruncated", false));
  }

  /** Steps: one per request (its response folded in), one per stream, one per alert, one per gap; in time order. */
  private void transcript(RoutingContext ctx) {
    JsonObject s = findSession(ctx);
    if (s == null) {
      return;
    }
    List<JsonObject> alerts = sessionAlerts(s);
    Map<String, JsonObject> byRequest = new LinkedHashMap<>();
    List<JsonObject> steps = new ArrayList<>();
    for (JsonObject e : sessionEvents(allEvents(), s)) {
      String rid = e.getString("requestId");
      String type = e.getString("type");
      boolean llm = "LLM".equals(e.getString("channel"));
      JsonObject step = byRequest.get(rid);
      if ("request".equals(type)) {
        JsonObject d = e.getJsonObject("decision", new JsonObject());
        step = step(llm ? "llm-prompt" : "DENY".equals(d.getString("effect")) ? "denied" : "kubernetes", e, title(e))
            .put("decision", new JsonObject().put("effect", d.getString("effect")).put("ruleId", d.getString("ruleId"))
                .put("reason", d.getString("reason")))
            .put("detail", bodyOrNull(e));
        byRequest.put(rid, step);
        steps.add(step);
      } else if ("response".equals(type) && llm) {
        steps.add(step("llm-reply", e, e.getString("method") + " " + e.getString("path")).put("status", e.getInteger("status"))
            .put("detail", bodyOrNull(e)));
      } else if ("response".equals(type) || "error".equals(type)) {
        if (step != null) {
          step.put("status", e.getInteger("status"));
          if (step.getValue("detail") == null) {
            step.put("detail", "error".equals(type) ? e.getJsonObject("error").getString("message") : bodyOrNull(e));
          }
        }
      } else if ("frame".equals(type)) {
        String stream = e.getJsonObject("frame").getString("stream");
        JsonObject streamStep = byRequest.get(rid + "/stream");
        if (streamStep == null) {
          streamStep = step("stream", e, stream.toLowerCase(Locale.ROOT) + " " + title(e)).put("frames", 0);
          if ("EXEC".equals(stream) || "ATTACH".equals(stream)) {
            streamStep.put("execReplay", "/api/v1/sessions/" + UiSeedData.urlEncode(s.getString("sessionId")) + "/exec/"
                + UiSeedData.urlEncode(rid) + ".cast");
          }
          byRequest.put(rid + "/stream", streamStep);
          steps.add(streamStep);
        }
        streamStep.put("frames", streamStep.getInteger("frames") + 1);
        streamStep.put("detail", streamStep.getInteger("frames") + " frames recorded");
      } else if ("gap".equals(type)) {
        JsonObject g = e.getJsonObject("gap");
        steps.add(step("gap", e, g.getLong("eventsLost") + " events not recorded (" + g.getString("reason") + ")"));
      }
    }
    for (JsonObject a : alerts) {
      JsonObject step = new JsonObject().put("kind", "alert").put("time", a.getString("time")).put("requestId", null)
          .put("title", a.getString("severity") + " " + a.getString("type")).put("status", null).put("decision", null)
          .put("detail", a.getString("description")).put("alertIds", new JsonArray().add(a.getString("alertId")))
          .put("execReplay", null);
      steps.add(step);
      for (Object evidence : a.getJsonArray("evidenceEventIds", new JsonArray())) {
        for (JsonObject st : steps) {
          if (evidence.equals(st.getString("eventId")) && !st.getJsonArray("alertIds").contains(a.getString("alertId"))) {
            st.getJsonArray("alertIds").add(a.getString("alertId"));
          }
        }
      }
    }
    steps.sort(Comparator.comparing(st -> Instant.parse(st.getString("time"))));
    JsonArray out = new JsonArray();
    for (JsonObject st : steps) {
      st.remove("eventId");
      st.remove("frames");
      out.add(st);
    }
    ctx.json(new JsonObject().put("session", withId(s, s.getString("sessionId"))).put("steps", out));
  }

  /** asciicast v2 from the EXEC/ATTACH frames of one request: stdout/stderr → "o", stdin → "i". */
  private void cast(RoutingContext ctx) {
    JsonObject s = findSession(ctx);
    if (s == null) {
      return;
    }
    String cast = ctx.pathParam("cast");
    if (!cast.endsWith(".cast")) {
      error(ctx, 404, "not_found", "No such recording");
      return;
    }
    String rid = cast.substring(0, cast.length() - ".cast".length());
    List<JsonObject> frames = sessionEvents(allEvents(), s).stream()
        .filter(e -> rid.equals(e.getString("requestId")) && "frame".equals(e.getString("type")))
        .sorted(Comparator.comparing(e -> e.getJsonObject("frame").getLong("frameIndex"))).toList();
    if (frames.isEmpty()) {
      error(ctx, 404, "not_found", "No recording for request " + rid);
      return;
    }
    long start = frames.get(0).getLong("timeMillis");
    StringBuilder out = new StringBuilder(new JsonObject().put("version", 2).put("width", 100).put("height", 24)
        .put("timestamp", start / 1000).put("title", "exec " + frames.get(0).getJsonObject("k8s").getString("name")).encode()).append('\n');
    for (JsonObject f : frames) {
      JsonObject frame = f.getJsonObject("frame");
      Integer channel = frame.getInteger("channelNumber");
      String code = "TO_UPSTREAM".equals(frame.getString("direction")) ? "i" : channel != null && channel >= 3 ? null : "o";
      if (code == null) {
        continue;
      }
      JsonObject body = f.getJsonObject("body");
      String data = "BASE64".equals(body.getString("encoding"))
          ? new String(Base64.getDecoder().decode(body.getString("content")), StandardCharsets.UTF_8) : body.getString("content");
      out.append(new JsonArray().add((f.getLong("timeMillis") - start) / 1000.0).add(code).add(data).encode()).append('\n');
    }
    ctx.response().putHeader("Content-Type", "application/x-asciicast").end(out.toString());
  }

  private void export(RoutingContext ctx) {
    JsonObject s = findSession(ctx);
    if (s == null) {
      return;
    }
    StringBuilder out = new StringBuilder(new JsonObject().put("session", withId(s, s.getString("sessionId"))).encode()).append('\n');
    for (JsonObject e : sessionEvents(allEvents(), s)) {
      out.append(e.encode()).append('\n');
    }
    ctx.response().putHeader("Content-Type", "application/x-ndjson")
        .putHeader("Content-Disposition", "attachment; filename=\"session.ndjson\"").end(out.toString());
  }

  /** The contract's verify: recompute the chain from raw, re-derive every document from raw, check the signature. */
  private void verify(RoutingContext ctx) {
    JsonObject s = findSession(ctx);
    if (s == null) {
      return;
    }
    String sessionId = s.getString("sessionId");
    List<JsonObject> events = sessionEvents(allEvents(), s);
    List<byte[]> values = new ArrayList<>();
    Integer divergent = null;
    String divergentId = null;
    String reason = null;
    for (int i = 0; i < events.size(); i++) {
      JsonObject stored = events.get(i);
      byte[] raw = Base64.getDecoder().decode(stored.getString("raw"));
      values.add(raw);
      JsonObject kafka = stored.getJsonObject("kafka");
      JsonObject derived = new JsonObject(Json.encode(EventDocuments.toDocument(VigilSerdes.events().decode(raw),
          UiSeedData.MAX_BODY_CHARS, kafka.getInteger("partition"), kafka.getLong("offset"))));
      if (divergent == null && !derived.equals(withoutRaw(stored))) {
        divergent = i;
        divergentId = stored.getString("eventId");
        reason = "stored document of event " + i + " differs from the one derived from its raw record";
      }
    }
    String computed = UiSeedData.headDigest(sessionId, values);
    long count = s.getLong("eventCount");
    if (divergent == null && (!computed.equals(s.getString("headDigest")) || count != values.size())) {
      divergent = (int) Math.min(count, values.size());
      reason = "recomputed head " + computed + " over " + values.size() + " events differs from the summary's";
    }
    Boolean signatureValid = null;
    if (s.getString("signature") != null) {
      try {
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(signingKey);
        v.update(UiSeedData.signedMessage(sessionId, count, s.getString("headDigest")));
        signatureValid = v.verify(Base64.getDecoder().decode(s.getString("signature")));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        signatureValid = false;
      }
    }
    boolean verified = divergent == null && !Boolean.FALSE.equals(signatureValid);
    if (reason == null) {
      reason = verified ? "hash chain over " + values.size() + " events matches the summary"
          + (signatureValid == null ? " (not signed yet)" : "; signature valid") : "signature does not verify";
    }
    ctx.json(new JsonObject().put("verified", verified).put("eventCount", values.size()).put("headDigest", s.getString("headDigest"))
        .put("computedHead", computed).put("signatureValid", signatureValid).put("firstDivergentIndex", divergent)
        .put("firstDivergentEventId", divergentId).put("reason", reason));
  }

  // --- helpers --------------------------------------------------------------------------------------------------------

  private JsonObject findSession(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    for (JsonObject s : os.all(UiSeedData.SESSIONS_INDEX)) {
      if (id.equals(s.getString("sessionId"))) {
        return s;
      }
    }
    error(ctx, 404, "not_found", "No session " + id);
    return null;
  }

  private List<JsonObject> allEvents() {
    return os.all(UiSeedData.EVENTS_INDEX_PREFIX + "-*");
  }

  /** The session's events in chain order: its key, within its time span, by (partition, offset). */
  private static List<JsonObject> sessionEvents(List<JsonObject> all, JsonObject s) {
    long first = s.getLong("firstEventTimeMillis");
    long last = s.getLong("lastEventTimeMillis");
    return all.stream()
        .filter(e -> s.getString("sessionKey").equals(e.getString("sessionKey")) && e.getLong("timeMillis") >= first
            && e.getLong("timeMillis") <= last)
        .sorted(Comparator.comparing((JsonObject e) -> e.getJsonObject("kafka").getInteger("partition"))
            .thenComparing(e -> e.getJsonObject("kafka").getLong("offset")))
        .toList();
  }

  private List<JsonObject> sessionAlerts(JsonObject s) {
    return os.all(UiSeedData.ALERTS_INDEX).stream().filter(a -> s.getString("sessionId").equals(a.getString("sessionId")))
        .sorted(Comparator.comparing(a -> a.getLong("timeMillis"))).toList();
  }

  private static JsonObject step(String kind, JsonObject e, String title) {
    return new JsonObject().put("kind", kind).put("time", e.getString("time")).put("requestId", e.getString("requestId"))
        .put("title", title).put("status", null).put("decision", null).put("detail", null).put("alertIds", new JsonArray())
        .put("execReplay", null).put("eventId", e.getString("eventId"));
  }

  /** "get secrets bootstrap-token -n kube-system"; LLM calls: "POST /v1/messages". */
  private static String title(JsonObject e) {
    JsonObject k = e.getJsonObject("k8s");
    if (k == null) {
      return e.getString("method") + " " + e.getString("path");
    }
    StringBuilder t = new StringBuilder(k.getString("verb", "?")).append(' ').append(k.getString("resource", e.getString("path")));
    if (k.getString("subresource") != null) {
      t.append('/').append(k.getString("subresource"));
    }
    if (k.getString("name") != null) {
      t.append(' ').append(k.getString("name"));
    }
    if (k.getString("namespace") != null) {
      t.append(" -n ").append(k.getString("namespace"));
    }
    return t.toString();
  }

  private static String bodyText(JsonObject e) {
    JsonObject b = e.getJsonObject("body");
    return b == null ? "" : b.getString("content", "");
  }

  private static String bodyOrNull(JsonObject e) {
    String t = bodyText(e);
    return t.isEmpty() ? null : t;
  }

  private static JsonObject withoutRaw(JsonObject doc) {
    JsonObject copy = doc.copy();
    copy.remove("raw");
    return copy;
  }

  private static JsonObject withId(JsonObject doc, String id) {
    return withoutRaw(doc).put("id", id);
  }

  private static Map<String, String> params(RoutingContext ctx) {
    Map<String, String> p = new LinkedHashMap<>();
    ctx.queryParams().forEach((k, v) -> {
      if (!v.isEmpty()) {
        p.put(k, v);
      }
    });
    return p;
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message).put("requestId", "stub")).encode());
  }
}

package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.Selector;
import dev.vigil.kubesim.store.StatusException;
import dev.vigil.kubesim.store.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ?watch=true}: a chunked stream of newline-delimited watch events. Initial ADDED events
 * when no resourceVersion is given, then live events; ends after {@code timeoutSeconds} (default
 * 30 min), when the client goes away, or when the server closes.
 */
final class WatchHandler {

  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

  private final Vertx vertx;
  private final ObjectStore store;
  private final OpenStreams streams;

  WatchHandler(Vertx vertx, ObjectStore store, OpenStreams streams) {
    this.vertx = vertx;
    this.store = store;
    this.streams = streams;
  }

  void watch(RoutingContext ctx, ResourceType type, String namespace, Selector labels, Selector fields) {
    HttpServerResponse resp = ctx.response();
    Context context = Vertx.currentContext();
    Tables.Negotiated shape = Tables.negotiate(ctx.request().getHeader("Accept"));
    String includeObject = ctx.request().getParam("includeObject");
    long timeout = parseTimeout(ctx.request().getParam("timeoutSeconds"));
    resp.setStatusCode(200).setChunked(true).putHeader("Content-Type", Responses.JSON)
        .putHeader("Cache-Control", "no-cache, private");
    AtomicBoolean headerSent = new AtomicBoolean(false);
    AtomicBoolean done = new AtomicBoolean(false);

    java.util.function.Consumer<WatchEvent> deliver = e -> {
      if (done.get() || resp.closed()) {
        return;
      }
      String outType = translate(e, labels, fields);
      if (outType == null) {
        return;
      }
      ObjectNode obj = e.object();
      if (shape.as() == Tables.As.TABLE) {
        obj = Tables.table(type.kind(), List.of(obj), shape.apiVersion(), includeObject,
            Json.textAt(obj, "metadata", "resourceVersion"), headerSent.compareAndSet(false, true));
      } else if (shape.as() == Tables.As.PARTIAL) {
        obj = Tables.partial(obj, shape.apiVersion());
      }
      ObjectNode event = Json.object();
      event.put("type", outType);
      event.set("object", obj);
      resp.write(Json.write(event) + "\n");
    };

    Runnable[] cancel = new Runnable[1];
    long[] timer = new long[1];
    Runnable finish = new Runnable() {
      @Override
      public void run() {
        if (done.compareAndSet(false, true)) {
          if (cancel[0] != null) {
            cancel[0].run();
          }
          vertx.cancelTimer(timer[0]);
          streams.remove(this);
          context.runOnContext(v -> {
            if (!resp.ended() && !resp.closed()) {
              resp.end();
            }
          });
        }
      }
    };
    resp.closeHandler(v -> finish.run());
    try {
      cancel[0] = store.watch(type, namespace, ctx.request().getParam("resourceVersion"),
          e -> context.runOnContext(v -> deliver.accept(e)));
    } catch (StatusException e) {
      ObjectNode event = Json.object();
      event.put("type", "ERROR");
      event.set("object", e.toStatus());
      resp.end(Json.write(event) + "\n");
      return;
    }
    streams.add(finish);
    timer[0] = vertx.setTimer(timeout * 1000, id -> finish.run());
    resp.writeHead();
  }

  /** The event type the client sees given its selectors, or null to skip the event. */
  static String translate(WatchEvent e, Selector labels, Selector fields) {
    boolean now = labels.matches(e.object()) && fields.matches(e.object());
    boolean before = e.previous() != null && labels.matches(e.previous()) && fields.matches(e.previous());
    return switch (e.type()) {
      case WatchEvent.ADDED -> now ? WatchEvent.ADDED : null;
      case WatchEvent.DELETED -> before || now ? WatchEvent.DELETED : null;
      default -> now && before ? WatchEvent.MODIFIED : now ? WatchEvent.ADDED : before ? WatchEvent.DELETED : null;
    };
  }

  private static long parseTimeout(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_TIMEOUT_SECONDS;
    }
    try {
      long t = Long.parseLong(value);
      return t <= 0 ? DEFAULT_TIMEOUT_SECONDS : t;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("invalid timeoutSeconds: " + value);
    }
  }
}

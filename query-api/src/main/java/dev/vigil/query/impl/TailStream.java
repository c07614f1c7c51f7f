package dev.vigil.query.impl;

import java.util.List;
import java.util.function.LongConsumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One live tail: the SSE response, its poll timer and its position (see {@link TailHandler}). */
final class TailStream {

  private static final Logger LOG = LoggerFactory.getLogger(TailStream.class);
  private static final int MAX_PER_POLL = 500;

  private final Backend backend;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final String sessionId;
  private final Access access;
  private final LongConsumer onEnd;
  private final long deadline;
  private Long position;
  private long delivered;
  private long sentBefore = -1;
  private long lastWrite;
  private long timer = -1;
  private boolean polling;
  private boolean ended;
  private SessionEvents.Scope scope;

  TailStream(Backend backend, RoutingContext ctx, String sessionId, Access access, Long afterOffset, LongConsumer onEnd) {
    this.backend = backend;
    this.ctx = ctx;
    this.response = ctx.response();
    this.sessionId = sessionId;
    this.access = access;
    this.position = afterOffset;
    this.onEnd = onEnd;
    this.deadline = System.currentTimeMillis() + backend.limits().tailMaxDuration().toMillis();
  }

  void start(JsonObject session) {
    response.putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store") // recorded data: never kept by a cache
        .putHeader("X-Accel-Buffering", "no")
        .setChunked(true);
    response.closeHandler(v -> end(null));
    write("retry: 2000\n: tail of " + sessionId.replaceAll("[\\r\\n]", " ") + "\n\n");
    Vertx vertx = backend.store().vertx();
    timer = vertx.setPeriodic(0, backend.limits().tailPollInterval().toMillis(), id -> poll());
  }

  private void poll() {
    if (polling || ended) {
      return;
    }
    if (System.currentTimeMillis() > deadline) {
      end("max-duration");
      return;
    }
    polling = true;
    backend.sessions().load(sessionId, access).compose(session -> (scope != null ? Future.succeededFuture(scope)
            : backend.events().scope(session)).compose(s -> {
              scope = s;
              return s == null ? Future.succeededFuture(session) : deliver(session, s);
            }))
        .onSuccess(this::afterPoll)
        .onFailure(e -> {
          if (e instanceof ApiException api && api.status() == 404) {
            end("session-gone");
          } else {
            LOG.warn("Live tail of {} (requestId={}): poll failed: {}", sessionId, Requests.requestId(ctx), e.toString());
          }
        })
        .onComplete(x -> polling = false);
  }

  /** Sends the events after the position; the first poll without a position starts after the latest event. */
  private Future<JsonObject> deliver(JsonObject session, SessionEvents.Scope s) {
    Long closedCount = "CLOSED".equals(session.getString("status")) ? session.getLong("eventCount", 0L) : null;
    Future<Void> ready = Future.succeededFuture();
    if (sentBefore < 0) {
      if (position == null && closedCount != null) {
        sentBefore = closedCount; // a CLOSED session has nothing new: the stream ends at once
        return Future.succeededFuture(session);
      }
      ready = (position == null ? backend.events().lastOffset(s) : Future.succeededFuture(position)).compose(p -> {
        position = p;
        return backend.events().countUpTo(s, p).map(n -> {
          sentBefore = n;
          return null;
        });
      });
    }
    return ready.compose(v -> backend.events().read(s, null, position, MAX_PER_POLL, false)).map(page -> {
      List<JsonObject> events = page.events();
      for (JsonObject e : events) {
        if (closedCount != null && sentBefore + delivered >= closedCount) {
          break; // past a CLOSED session's chain: the next session's events
        }
        Long offset = Documents.number(e, "kafka", "offset");
        write("id: " + s.partition() + ":" + offset + "\nevent: vigil-event\ndata: " + e.encode() + "\n\n");
        position = offset;
        delivered++;
      }
      return session;
    });
  }

  private void afterPoll(JsonObject session) {
    boolean closed = "CLOSED".equals(session.getString("status"));
    if (closed && scope != null && sentBefore >= 0 && sentBefore + delivered >= session.getLong("eventCount", 0L)) {
      end("closed");
    } else if (closed && scope == null) {
      end("closed");
    } else if (System.currentTimeMillis() - lastWrite >= backend.limits().tailHeartbeat().toMillis()) {
      write(": heartbeat\n\n");
    }
  }

  private void write(String text) {
    if (!ended && !response.closed()) {
      lastWrite = System.currentTimeMillis();
      response.write(text);
    }
  }

  /** Stops polling; with a reason, tells the client ({@code event: vigil-end}) and ends the response. */
  private void end(String reason) {
    if (ended) {
      return;
    }
    if (reason != null) {
      write("event: vigil-end\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n");
    }
    ended = true;
    backend.store().vertx().cancelTimer(timer);
    if (!response.closed() && !response.ended()) {
      response.end();
    }
    onEnd.accept(delivered);
  }
}

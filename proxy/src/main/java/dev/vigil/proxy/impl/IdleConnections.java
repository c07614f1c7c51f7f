package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * The server idle timeout ({@code vigil.proxy.server.idle-timeout}): a caller connection with no call in progress
 * for that long is closed. A connection carrying a call — however quiet, like a watch, a followed log or an
 * upgraded WebSocket (whose upgrade response never ends) — is never cut; a stalled request body is bounded
 * separately. Unlike Vert.x's own idle timeout, which counts only bytes, this never cuts a slow call.
 */
final class IdleConnections {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Tracker> trackers = new ConcurrentHashMap<>();

  IdleConnections(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** A new caller connection: idle until its first request. */
  void connected(HttpConnection conn) {
    if (timeoutMillis <= 0) {
      return;
    }
    Tracker t = new Tracker(conn);
    trackers.put(conn, t);
    conn.closeHandler(v -> {
      t.cancel();
      trackers.remove(conn);
    });
    t.arm();
  }

  /** A request started on its connection: busy until its response ended. */
  void started(HttpServerRequest req) {
    Tracker t = timeoutMillis <= 0 ? null : trackers.get(req.connection());
    if (t == null) {
      return;
    }
    t.inFlight++;
    t.cancel();
    req.response().endHandler(v -> {
      if (--t.inFlight == 0) {
        t.arm();
      }
    });
  }

  int tracked() {
    return trackers.size();
  }

  private final class Tracker {
    private final HttpConnection conn;
    private int inFlight;
    private long timer = -1;

    Tracker(HttpConnection conn) {
      this.conn = conn;
    }

    void arm() {
      cancel();
      timer = vertx.setTimer(timeoutMillis, id -> {
        timer = -1;
        if (inFlight == 0) {
          conn.close();
        }
      });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}

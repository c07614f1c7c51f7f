package dev.vigil.query.impl;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/sessions/{sessionId}/tail}: Server-Sent Events of a session's events as they are indexed
 * ({@code event: vigil-event}, {@code id: <partition>:<offset>}, {@code data: <event JSON>}), polling OpenSearch every
 * {@code tail.poll-interval} for events after the last one sent. Starts after {@code afterOffset} (a
 * {@code kafka.offset}), else after the {@code Last-Event-ID} a reconnecting client sends, else after the session's
 * latest indexed event. Heartbeat comments keep proxies from closing an idle stream. Ends with
 * {@code event: vigil-end} once the session is CLOSED and all its events were sent, after {@code tail.max-duration},
 * or when the session disappears.
 */
final class TailHandler {

  static final String ENDPOINT = "GET /api/v1/sessions/{sessionId}/tail";

  private final Backend backend;
  private final AtomicInteger open = new AtomicInteger();

  TailHandler(Backend backend) {
    this.backend = backend;
  }

  void tail(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of("afterOffset"));
    String sessionId = ctx.pathParam("sessionId");
    p.note("sessionId", sessionId);
    Long afterOffset = p.longValue("afterOffset", -1);
    if (afterOffset == null) {
      afterOffset = lastEventId(ctx.request().getHeader("Last-Event-ID"));
    }
    Long after = afterOffset;
    Access access = Requests.access(ctx);
    backend.sessions().load(sessionId, access).onSuccess(session -> {
      if (open.incrementAndGet() > backend.limits().tailMaxStreams()) {
        open.decrementAndGet();
        ctx.fail(ApiException.unavailable("Too many live tails are open (vigil.query.tail.max-streams = "
            + backend.limits().tailMaxStreams() + "); try again later"));
        return;
      }
      TailStream stream = new TailStream(backend, ctx, sessionId, access, after, delivered -> {
        open.decrementAndGet();
        Audit.query(ctx, ENDPOINT, p.given(), delivered);
      });
      stream.start(session);
    }).onFailure(ctx::fail);
  }

  /** The offset in a {@code Last-Event-ID} of the form {@code <partition>:<offset>}, or null. */
  static Long lastEventId(String header) {
    if (header == null) {
      return null;
    }
    int colon = header.indexOf(':');
    try {
      return colon < 0 ? null : Long.valueOf(header.substring(colon + 1).strip());
    } catch (NumberFormatException e) {
      return null; // not an id this API sent: start as a new client
    }
  }
}

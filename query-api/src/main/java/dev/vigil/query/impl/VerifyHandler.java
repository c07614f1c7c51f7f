package dev.vigil.query.impl;

import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/sessions/{sessionId}/verify}: re-verifies a session from what is stored — the hash chain over
 * each event's {@code raw} record, each stored document against the one derived from its raw record, the head against
 * the summary's {@code headDigest}, and the summary's Ed25519 signature with the configured public key of its
 * {@code signingKeyId}.
 */
final class VerifyHandler {

  static final String ENDPOINT = "POST /api/v1/sessions/{sessionId}/verify";

  private final Backend backend;

  VerifyHandler(Backend backend) {
    this.backend = backend;
  }

  void verify(RoutingContext ctx) {
    Params p = Params.of(Requests.params(ctx), Set.of());
    String sessionId = ctx.pathParam("sessionId");
    p.note("sessionId", sessionId);
    backend.sessions().load(sessionId, Requests.access(ctx)).compose(this::verify).onSuccess(result -> {
      Audit.query(ctx, ENDPOINT, p.given(), result.getLong("eventCount", 0L));
      ctx.json(result);
    }).onFailure(ctx::fail);
  }

  Future<JsonObject> verify(JsonObject session) {
    long eventCount = session.getLong("eventCount", 0L);
    int cap = backend.limits().verifyEvents();
    String sessionId = session.getString("id");
    ChainCheck check = new ChainCheck(sessionId, session.getString("sessionKey", ""), backend.config().verifyMaxBodyChars());
    if (eventCount > cap) {
      return Future.succeededFuture(Verdict.tooLong(session, cap));
    }
    return backend.events().scope(session).compose(scope -> {
      if (scope == null) {
        return Future.succeededFuture(0L);
      }
      // an OPEN session's summary covers its first eventCount events; later ones are not signed yet
      SessionEvents.Scope chain = new SessionEvents.Scope(scope.sessionId(), scope.sessionKey(), scope.partition(),
          scope.firstOffset(), eventCount);
      return backend.events().stream(chain, null, null, eventCount, true, page -> {
        page.forEach(check::accept);
        return Future.succeededFuture();
      });
    }).map(n -> {
      check.missing(eventCount);
      return Verdict.of(session, check, backend.config().signingKeys());
    });
  }
}

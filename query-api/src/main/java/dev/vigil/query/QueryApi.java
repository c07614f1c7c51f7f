package dev.vigil.query;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import dev.vigil.query.impl.QueryApiServer;

/**
 * The analysts' REST API over the indexed events: {@code GET /api/v1/events} (search) and
 * {@code GET /api/v1/sessions/{sessionKey}/events} (one session in order), behind OIDC bearer tokens and an analyst
 * group; {@code GET /healthz} is open. See {@code query-api/README.md}.
 */
public interface QueryApi {

  /** Discovers the OIDC issuer, connects the OpenSearch client and listens; fails if any of it fails. */
  static Future<QueryApi> start(Vertx vertx, QueryApiConfig config) {
    return QueryApiServer.start(vertx, config);
  }

  /** The port actually listened on. */
  int port();

  /** Stops listening and releases the OpenSearch and OIDC clients. */
  Future<Void> close();
}

package dev.vigil.query.impl;

import dev.vigil.query.QueryApiConfig;
import dev.vigil.query.QueryLimits;

/** What the route handlers share: the configuration and the OpenSearch readers. */
record Backend(QueryApiConfig config, Store store, Sessions sessions, SessionEvents events) {

  static Backend create(QueryApiConfig config, Store store) {
    return new Backend(config, store, new Sessions(store, config.sessionsIndex(), config.alertsIndex()),
        new SessionEvents(store, config.indexPattern()));
  }

  QueryLimits limits() {
    return config.limits();
  }
}

package dev.vigil.proxy.impl;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import io.vertx.core.http.HttpConnection;

/**
 * Caller connections the gateway answered with {@code Connection: close}: a request already pipelined behind the
 * refused one (e.g. a body the gateway would not frame, read as the next request) is not processed (RFC 9112 9.6),
 * neither answered nor recorded — the connection is being closed. Entries go with their connection.
 */
final class ClosingConnections {

  private static final Set<HttpConnection> CLOSING = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private ClosingConnections() {}

  static void mark(HttpConnection conn) {
    if (conn != null) {
      CLOSING.add(conn);
    }
  }

  static boolean closing(HttpConnection conn) {
    return conn != null && CLOSING.contains(conn);
  }
}

package dev.vigil.bench.proxy;

import io.vertx.core.Future;

/** Sends one request of the mix to one target. */
interface Sender {

  /**
   * Sends {@code op}; the future completes with the HTTP status once the response is complete (for a watch: once its
   * first event arrived), or fails (connection error, timeout, a watch ending without an event).
   */
  Future<Integer> send(Op op);
}

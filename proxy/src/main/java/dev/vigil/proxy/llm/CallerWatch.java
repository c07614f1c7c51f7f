package dev.vigil.proxy.llm;

import io.vertx.core.http.HttpServerResponse;

/**
 * Notices the caller going away during a call — its connection closed, or (HTTP/2) its stream reset — and runs what
 * the current stage of the call must then do (stop connecting, reset the upstream request, record the outcome).
 * Event-loop confined.
 */
final class CallerWatch {

  private boolean gone;
  private Runnable onGone = () -> { };

  CallerWatch(HttpServerResponse response) {
    response.closeHandler(v -> left());
    response.exceptionHandler(err -> left());
  }

  /** What to do when the caller leaves; runs at once if it already has. */
  void onGone(Runnable action) {
    onGone = action;
    if (gone) {
      action.run();
    }
  }

  boolean gone() {
    return gone;
  }

  private void left() {
    if (!gone) {
      gone = true;
      onGone.run();
    }
  }
}

package dev.vigil.proxy.llm;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads an LLM request body whole (the gateway needs its JSON: model, stream; the policy and the Secret scan need all
 * of it), bounded: more than {@code maxBytes} fails with {@link TooLargeException} at once (reading stops; the caller's
 * connection must then be closed), no progress for {@code idleMillis} fails with {@link StalledException}.
 */
final class LlmBodyReader {

  /** The body exceeded the LLM channel's request body limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("request body exceeds " + limit + " bytes", null, false, false);
    }
  }

  /** The caller stopped sending its request body. */
  static final class StalledException extends Exception {
    private static final long serialVersionUID = 1L;

    StalledException(long idleMillis) {
      super("no request body bytes received for " + idleMillis + " ms", null, false, false);
    }
  }

  private LlmBodyReader() {}

  /** Reads the body of {@code req} (paused) to its end; {@code idleMillis} 0 disables the stall check. */
  static Future<Buffer> read(Vertx vertx, HttpServerRequest req, long maxBytes, long idleMillis) {
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    long[] progress = {0, 0}; // bytes received, bytes seen by the last stall check
    req.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      progress[0] += chunk.length();
      if (progress[0] > maxBytes) {
        req.pause();
        done.tryFail(new TooLargeException(maxBytes));
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    if (idleMillis > 0) {
      long timer = vertx.setPeriodic(idleMillis, id -> {
        if (progress[0] == progress[1]) {
          req.pause();
          done.tryFail(new StalledException(idleMillis));
        }
        progress[1] = progress[0];
      });
      done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    req.resume();
    return done.future();
  }
}

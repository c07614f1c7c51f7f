package dev.vigil.proxy.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body that is read ahead up to the recording cap before the request is forwarded (so the
 * RequestReceived event carries it), then streamed on: the bytes read ahead are replayed first, the rest flows from
 * the caller as it arrives. Every byte feeds the {@link BodyCapture}; more than {@code maxBytes} in total fails the
 * stream with {@link TooLargeException} (a declared Content-Length over the limit is refused before this).
 *
 * <p>Used on the request's event loop only.
 */
final class PrefetchingBody implements ReadStream<Buffer> {

  /** The body exceeded the gateway's request body limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("request body exceeds " + limit + " bytes", null, false, false);
    }
  }

  private final ReadStream<Buffer> source;
  private final BodyCapture capture;
  private final long maxBytes;
  private Buffer pending = Buffer.buffer();
  private long received;
  private boolean sourceEnded;
  private boolean endDelivered;
  private boolean tooLarge;
  private boolean paused = true;
  private Promise<Void> prefetch;
  private long prefetchTarget;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /** {@code source} must be paused; it stays paused until {@link #prefetch} or a consumer resumes it. */
  PrefetchingBody(ReadStream<Buffer> source, BodyCapture capture, long maxBytes) {
    this.source = source;
    this.capture = capture;
    this.maxBytes = maxBytes;
    source.handler(this::onData);
    source.endHandler(v -> onEnd());
    source.exceptionHandler(this::onError);
  }

  /**
   * Reads until {@code bytes} have arrived or the body ended; fails with {@link TooLargeException} or a read error.
   * With {@code bytes} above the body limit, the whole body is read (or refused) before anything is forwarded.
   */
  Future<Void> prefetch(long bytes) {
    prefetch = Promise.promise();
    prefetchTarget = bytes;
    if (!checkPrefetchDone()) {
      source.resume();
    }
    return prefetch.future();
  }

  /** True once the whole body has been read (it may not all have been consumed yet). */
  boolean ended() {
    return sourceEnded;
  }

  boolean tooLarge() {
    return tooLarge;
  }

  /** Bytes received from the caller so far. */
  long received() {
    return received;
  }

  /** Gives up on a prefetch in progress (e.g. the caller stalled): the source is paused, the prefetch fails. */
  void abort(Throwable reason) {
    if (prefetch != null && !prefetch.future().isComplete()) {
      source.pause();
      prefetch.tryFail(reason);
    }
  }

  BodyCapture capture() {
    return capture;
  }

  private void onData(Buffer chunk) {
    if (tooLarge) {
      return;
    }
    received += chunk.length();
    capture.append(chunk);
    if (received > maxBytes) {
      tooLarge = true;
      source.pause();
      fail(new TooLargeException(maxBytes));
      return;
    }
    if (!paused && handler != null && pending.length() == 0) {
      handler.handle(chunk);
    } else {
      pending.appendBuffer(chunk);
    }
    checkPrefetchDone();
  }

  private void onEnd() {
    sourceEnded = true;
    checkPrefetchDone();
    deliverEndIfDrained();
  }

  private void onError(Throwable t) {
    fail(t);
  }

  private void fail(Throwable t) {
    if (prefetch != null && prefetch.tryFail(t)) {
      return;
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(t);
    }
  }

  /** Completes the prefetch once enough has arrived (pausing the source); true if it is (now) complete. */
  private boolean checkPrefetchDone() {
    if (prefetch == null || prefetch.future().isComplete()) {
      return prefetch != null;
    }
    if (sourceEnded || received >= prefetchTarget) {
      if (paused && !sourceEnded) { // an HTTP/2 request throws when paused after its end
        source.pause();
      }
      prefetch.tryComplete();
      return true;
    }
    return false;
  }

  private void deliverEndIfDrained() {
    if (sourceEnded && !endDelivered && pending.length() == 0 && !paused && endHandler != null) {
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    if (!sourceEnded) {
      source.pause();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    if (pending.length() > 0 && handler != null) {
      Buffer out = pending;
      pending = Buffer.buffer();
      handler.handle(out);
    }
    if (!paused) {
      if (sourceEnded) {
        deliverEndIfDrained();
      } else if (!tooLarge) {
        source.resume();
      }
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return amount > 0 ? resume() : this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}

package dev.vigil.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a body through unchanged, as it arrives, while showing each chunk to a tap (a {@link BodyCapture}, or a
 * stream framer) just before it is relayed. Taps only copy what they keep; they never hold a chunk back.
 */
final class CapturingReadStream implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final Handler<Buffer> tap;

  CapturingReadStream(ReadStream<Buffer> source, BodyCapture capture) {
    this(source, capture::append);
  }

  CapturingReadStream(ReadStream<Buffer> source, Handler<Buffer> tap) {
    this.source = source;
    this.tap = tap;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
    } else {
      source.handler(chunk -> {
        tap.handle(chunk);
        handler.handle(chunk);
      });
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}

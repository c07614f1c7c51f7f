package dev.vigil.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body stream that wraps another: flow control ({@code pause}, {@code resume}, {@code fetch}) and, unless a subclass
 * overrides them, the end and exception handlers go straight to the source, so backpressure stays the source's.
 * Subclasses decide what the data handler sees.
 */
abstract class ForwardingReadStream implements ReadStream<Buffer> {

  protected final ReadStream<Buffer> source;

  ForwardingReadStream(ReadStream<Buffer> source) {
    this.source = source;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
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
}

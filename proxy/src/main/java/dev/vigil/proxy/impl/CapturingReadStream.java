package dev.vigil.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a body through unchanged, as it arrives, while showing each chunk to a tap (a {@link BodyCapture}, or a
 * stream framer) just before it is relayed. Taps only copy what they keep; they never hold a chunk back.
 */
final class CapturingReadStream extends ForwardingReadStream {

  private final Handler<Buffer> tap;

  CapturingReadStream(ReadStream<Buffer> source, BodyCapture capture) {
    this(source, capture::append);
  }

  CapturingReadStream(ReadStream<Buffer> source, Handler<Buffer> tap) {
    super(source);
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
}

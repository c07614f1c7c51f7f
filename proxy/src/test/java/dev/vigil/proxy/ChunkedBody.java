package dev.vigil.proxy;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A body emitted in fixed-size chunks, one per event-loop turn, honouring pause/resume (so it is sent chunked). */
final class ChunkedBody implements ReadStream<Buffer> {

  private final Context context;
  private final Buffer data;
  private final int chunkSize;
  private int position;
  private boolean paused = true;
  private boolean scheduled;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  ChunkedBody(Vertx vertx, Buffer data, int chunkSize) {
    this.context = vertx.getOrCreateContext();
    this.data = data;
    this.chunkSize = chunkSize;
  }

  private void schedule() {
    if (scheduled || paused || ended) {
      return;
    }
    scheduled = true;
    context.runOnContext(v -> {
      scheduled = false;
      if (paused || ended) {
        return;
      }
      if (position >= data.length()) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      int end = Math.min(data.length(), position + chunkSize);
      Buffer chunk = data.getBuffer(position, end);
      position = end;
      if (handler != null) {
        handler.handle(chunk);
      }
      schedule();
    });
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
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
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    return resume();
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}

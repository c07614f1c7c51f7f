package dev.vigil.proxy.impl;

import dev.vigil.schema.Direction;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a followed log ({@code logs?follow=true}) into StreamFrames as the bytes pass through. Chunks are coalesced:
 * a frame is recorded at the end of a line once it holds {@link StreamLimits#logCoalesceBytes()}, or
 * {@link StreamLimits#logDelayMillis()} after its first byte arrived, whatever it holds by then (a partial line
 * continues in the next frame). A followed log typically yields one line per frame; a burst of lines is coalesced.
 * A frame is capped at {@link StreamLimits#maxFrameBytes()} (rest counted, flagged truncated).
 */
final class LogFramer implements Handler<Buffer> {

  private final FrameRecorder frames;
  private final String contentType;
  private final Vertx vertx;
  private final StreamLimits limits;
  private BodyCapture current;
  private long timer = -1;
  private boolean ended;

  LogFramer(FrameRecorder frames, String contentType, Vertx vertx) {
    this.frames = frames;
    this.contentType = contentType;
    this.vertx = vertx;
    this.limits = frames.limits();
  }

  @Override
  public void handle(Buffer chunk) {
    if (ended) {
      return;
    }
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) == '\n') {
        append(chunk, start, i + 1);
        start = i + 1;
        if (current.total() >= limits.logCoalesceBytes()) {
          emit();
        }
      }
    }
    append(chunk, start, chunk.length());
    if (current != null && timer < 0) {
      timer = vertx.setTimer(Math.max(1, limits.logDelayMillis()), id -> {
        timer = -1;
        emit();
      });
    }
  }

  /** The stream ended (or broke): records what is pending. */
  void end() {
    if (!ended) {
      emit();
      ended = true;
    }
  }

  private void append(Buffer chunk, int from, int to) {
    if (to <= from) {
      return;
    }
    if (current == null) {
      current = frames.capture(contentType, true);
    }
    current.append(from == 0 && to == chunk.length() ? chunk : chunk.getBuffer(from, to));
  }

  private void emit() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (current == null) {
      return;
    }
    if (frames.accepting()) {
      frames.frame(Direction.TO_CLIENT, null, null, current.toFrameBody());
    } else {
      frames.skip(Direction.TO_CLIENT);
    }
    current = null;
  }
}

package dev.vigil.proxy.impl;

import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Direction;
import dev.vigil.schema.StreamKind;

/**
 * Records the frames of one streaming call as StreamFrame events, in order, with a 0-based {@code frameIndex} that
 * counts every frame seen — so a frame the sink could not take (queue full) leaves a visible gap. At most
 * {@link StreamLimits#maxFrames()} frames are recorded; the others are counted and, when the stream ends, one marker
 * frame {@code frames dropped: N} is recorded. The call's ResponseCompleted carries {@link #framesRecorded()} and
 * {@link #framesDropped()}. A call whose rule records less than FULL ({@code record: metadata}, or {@code off})
 * records no frames at all, by choice: they are counted in {@link #seen()} only, neither recorded nor dropped.
 * Event-loop confined.
 */
final class FrameRecorder {

  private final Exchange ex;
  private final CallRecorder recorder;
  private final StreamKind kind;
  private final StreamLimits limits;
  private long seen;
  private long recorded;
  private long dropped;
  /** Frames the sink could not take (its queue was full) or failed to store, as far as known yet. */
  private long unrecorded;
  private boolean marker;
  private Direction firstDroppedDirection;
  private boolean finished;

  FrameRecorder(Exchange ex, CallRecorder recorder, StreamKind kind, StreamLimits limits) {
    this.ex = ex;
    this.recorder = recorder;
    this.kind = kind;
    this.limits = limits;
  }

  StreamKind kind() {
    return kind;
  }

  StreamLimits limits() {
    return limits;
  }

  /** A fresh capture for the content of one frame, capped at the frame size. */
  BodyCapture capture(String contentType, boolean textual) {
    return new BodyCapture(limits.maxFrameBytes(), contentType, textual);
  }

  /** True while frames are still recorded (cheap check before building a frame's content). */
  boolean accepting() {
    return !finished && recordsFrames() && recorded < limits.maxFrames();
  }

  /** Whether the policy records this call's frames at all (only {@code record: full} does). */
  private boolean recordsFrames() {
    return ex.recordMode == RecordMode.FULL;
  }

  /** Records the next frame, or counts it as dropped once the cap is reached. */
  void frame(Direction direction, Integer channel, String watchType, Body data) {
    if (finished) {
      return;
    }
    long index = seen++;
    if (!recordsFrames()) {
      return;
    }
    if (recorded >= limits.maxFrames()) {
      if (dropped++ == 0) {
        firstDroppedDirection = direction;
      }
      return;
    }
    recorded++;
    watch(recorder.frame(ex, kind, index, direction, channel, watchType, data));
  }

  /**
   * Counts a frame the sink failed to store; under strict recording, ends the stream (once) when the frame is not
   * acknowledged within the bound.
   */
  private void watch(io.vertx.core.Future<Void> stored) {
    stored.onFailure(err -> unrecorded++);
    StrictRecording strict = ex.strict;
    if (strict != null && !finished) {
      strict.acknowledged(stored).onFailure(err -> {
        if (!ex.strictEnded && !ex.terminalRecorded) {
          ex.strictEnded = true;
          strict.streamEnded();
          Runnable abort = ex.strictAbort;
          if (abort != null) {
            abort.run();
          }
        }
      });
    }
  }

  /**
   * Counts a frame that was not offered for recording (e.g. cap reached before its content was built); dropped unless
   * the policy does not record frames for this call.
   */
  void skip(Direction direction) {
    if (!finished) {
      seen++;
      if (recordsFrames() && dropped++ == 0) {
        firstDroppedDirection = direction;
      }
    }
  }

  /** Ends the stream: records the {@code frames dropped: N} marker if frames were dropped. Idempotent. */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (dropped > 0) {
      String text = "frames dropped: " + dropped + " (vigil.proxy.streams.max-frames=" + limits.maxFrames() + ")";
      Body marker = Body.newBuilder().setContentType("text/plain").setEncoding(BodyEncoding.TEXT).setContent(text)
          .setOriginalSize(text.length()).setTruncated(false).setMasked(false).build();
      this.marker = true;
      watch(recorder.frame(ex, kind, seen, firstDroppedDirection, null, null, marker));
    }
  }

  long seen() {
    return seen;
  }

  /** StreamFrame events recorded for the call (the dropped-frames marker included), minus those the sink refused. */
  long framesRecorded() {
    return recorded + (marker ? 1 : 0) - unrecorded;
  }

  /** Frames relayed but not recorded: over the per-stream cap, or refused by the sink (e.g. its queue was full). */
  long framesDropped() {
    return dropped + unrecorded;
  }
}

package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.vigil.proxy.RecordingSink;
import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamKind;
import io.vertx.core.Future;

/**
 * Records the events of a call: one RequestReceived, then zero or more StreamFrames, then exactly one
 * ResponseCompleted or UpstreamError — as much of it as the deciding rule's {@code record} says
 * ({@link Exchange#recordMode}): FULL records everything; METADATA records the same events without bodies
 * ({@link EventFactory}) and no StreamFrames ({@link FrameRecorder}); OFF records nothing for an allowed call. A denied
 * call is always recorded, at least as METADATA: a deny is a security event.
 */
final class CallRecorder {

  private final EventFactory events;
  private final RecordingSink sink;
  private final LongSupplier nanoClock;
  private final AtomicLong notRecorded = new AtomicLong();

  CallRecorder(EventFactory events, RecordingSink sink, LongSupplier nanoClock) {
    this.events = events;
    this.sink = sink;
    this.nanoClock = nanoClock;
  }

  /**
   * Records the request and the gateway's decision; strict mode will wait for the returned future. A call allowed under
   * {@code record: off} is not recorded (counted in {@link #notRecorded()}; the future is already succeeded); a denied
   * call under {@code off} is recorded as METADATA, and so would be a strict one (the policy parser refuses
   * {@code off} with {@code recording: strict}; should they meet anyway, the call fails closed).
   */
  Future<Void> received(Exchange ex, Map<String, String> headers, Body body, PolicyDecision decision) {
    ProxyMetrics.decision(ex.channel, decision);
    if (ex.recordMode == RecordMode.OFF) {
      if (decision.getEffect() != Effect.DENY && !decision.getStrict()) {
        notRecorded.incrementAndGet();
        return Future.succeededFuture();
      }
      ex.recordMode = RecordMode.METADATA;
    }
    Future<Void> stored = sink.record(events.requestReceived(ex, headers, body, decision));
    ex.receivedRecorded = true;
    return stored;
  }

  /** Records one frame of a stream; the future fails when the sink could not take it (e.g. its queue is full). */
  Future<Void> frame(Exchange ex, StreamKind kind, long index, Direction direction, Integer channel, String watchType,
      Body data) {
    if (ex.terminalRecorded) {
      return Future.failedFuture(new IllegalStateException("call already completed"));
    }
    if (ex.recordMode != RecordMode.FULL) { // FrameRecorder does not offer them: a guard, not a path
      return Future.failedFuture(new IllegalStateException("frames are not recorded for this call (record: "
          + ex.recordMode + ")"));
    }
    return sink.record(events.streamFrame(ex, kind, index, direction, channel, watchType, data));
  }

  void completed(Exchange ex, int status, Map<String, String> headers, Body body, long bytesToClient) {
    completed(ex, status, headers, body, bytesToClient, ResponseOutcome.COMPLETED);
  }

  /** The terminal event; a stream's frame counters are taken from {@link Exchange#frames} (finished first). */
  void completed(Exchange ex, int status, Map<String, String> headers, Body body, long bytesToClient,
      ResponseOutcome outcome) {
    if (ex.terminalRecorded) {
      return;
    }
    FrameRecorder frames = ex.frames;
    if (frames != null) {
      frames.finish();
    }
    ex.terminalRecorded = true;
    if (ex.recordMode == RecordMode.OFF) {
      return;
    }
    sink.record(events.responseCompleted(ex, status, headers, body, ex.elapsedMillis(nanoClock.getAsLong()), bytesToClient,
        outcome, frames == null ? 0 : frames.framesRecorded(), frames == null ? 0 : frames.framesDropped()));
  }

  void upstreamError(Exchange ex, UpstreamFailures.Failure failure, int statusToClient) {
    if (ex.terminalRecorded) {
      return;
    }
    ex.terminalRecorded = true;
    if (ex.recordMode == RecordMode.OFF) {
      return;
    }
    sink.record(events.upstreamError(ex, failure.type(), failure.detail(), statusToClient,
        ex.elapsedMillis(nanoClock.getAsLong())));
  }

  /** Calls not recorded at all because the rule that allowed them says {@code record: off}. */
  long notRecorded() {
    return notRecorded.get();
  }
}

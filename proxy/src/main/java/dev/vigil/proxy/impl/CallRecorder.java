package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.function.LongSupplier;

import dev.vigil.proxy.RecordingSink;
import dev.vigil.schema.Body;
import dev.vigil.schema.Direction;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamKind;
import io.vertx.core.Future;

/**
 * Records the events of a call: one RequestReceived, then zero or more StreamFrames, then exactly one
 * ResponseCompleted or UpstreamError.
 */
final class CallRecorder {

  private final EventFactory events;
  private final RecordingSink sink;
  private final LongSupplier nanoClock;

  CallRecorder(EventFactory events, RecordingSink sink, LongSupplier nanoClock) {
    this.events = events;
    this.sink = sink;
    this.nanoClock = nanoClock;
  }

  /** Records the request and the gateway's decision; strict mode will wait for the returned future. */
  Future<Void> received(Exchange ex, Map<String, String> headers, Body body, PolicyDecision decision) {
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
    sink.record(events.responseCompleted(ex, status, headers, body, ex.elapsedMillis(nanoClock.getAsLong()), bytesToClient,
        outcome, frames == null ? 0 : frames.framesRecorded(), frames == null ? 0 : frames.framesDropped()));
  }

  void upstreamError(Exchange ex, UpstreamFailures.Failure failure, int statusToClient) {
    if (ex.terminalRecorded) {
      return;
    }
    ex.terminalRecorded = true;
    sink.record(events.upstreamError(ex, failure.type(), failure.detail(), statusToClient,
        ex.elapsedMillis(nanoClock.getAsLong())));
  }
}

package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.function.LongSupplier;

import dev.vigil.proxy.RecordingSink;
import dev.vigil.schema.Body;
import dev.vigil.schema.PolicyDecision;
import io.vertx.core.Future;

/** Records the events of a call: one RequestReceived, then exactly one ResponseCompleted or UpstreamError. */
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
    return sink.record(events.requestReceived(ex, headers, body, decision));
  }

  void completed(Exchange ex, int status, Map<String, String> headers, Body body, long bytesToClient) {
    if (ex.terminalRecorded) {
      return;
    }
    ex.terminalRecorded = true;
    sink.record(events.responseCompleted(ex, status, headers, body, ex.elapsedMillis(nanoClock.getAsLong()), bytesToClient));
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

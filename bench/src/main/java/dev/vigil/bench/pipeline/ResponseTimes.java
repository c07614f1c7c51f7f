package dev.vigil.bench.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Keeps each measured call's response time and passes the call on to the poller. */
final class ResponseTimes {

  private final SearchablePoller poller;
  private final List<Double> millis = new ArrayList<>();

  ResponseTimes(SearchablePoller poller) {
    this.poller = poller;
  }

  void accept(OpenLoopCalls.Answered a) {
    synchronized (this) {
      millis.add(a.responseMillis());
    }
    poller.expect(a);
  }

  synchronized double[] millis() {
    return millis.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

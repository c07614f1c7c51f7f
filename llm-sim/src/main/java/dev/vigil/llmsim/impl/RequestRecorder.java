package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.RecordedRequest;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bounded log behind {@code LlmSim.requests()}: the oldest requests are dropped first. */
final class RequestRecorder {

  private final int max;
  private final Deque<RecordedRequest> requests = new ArrayDeque<>();

  RequestRecorder(int max) {
    this.max = Math.max(1, max);
  }

  void record(HttpServerRequest request, String body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
        k -> new ArrayList<>()).add(e.getValue()));
    headers.replaceAll((k, v) -> List.copyOf(v));
    RecordedRequest r = new RecordedRequest(Instant.now(), request.method().name(), request.path(),
        request.query(), headers, body == null ? "" : body);
    synchronized (requests) {
      if (requests.size() == max) {
        requests.removeFirst();
      }
      requests.addLast(r);
    }
  }

  List<RecordedRequest> snapshot() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  void clear() {
    synchronized (requests) {
      requests.clear();
    }
  }
}

package dev.vigil.kubesim.impl;

import dev.vigil.kubesim.RecordedRequest;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Keeps the last N requests (method, path, query, headers) for tests. */
final class RequestRecorder {

  private final int capacity;
  private final Deque<RecordedRequest> requests = new ArrayDeque<>();

  RequestRecorder(int capacity) {
    this.capacity = Math.max(0, capacity);
  }

  void record(HttpServerRequest request) {
    if (capacity == 0) {
      return;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    RecordedRequest r = new RecordedRequest(Instant.now(), request.method().name(), request.path(),
        request.query() == null ? "" : request.query(), headers);
    synchronized (requests) {
      requests.addLast(r);
      while (requests.size() > capacity) {
        requests.removeFirst();
      }
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

package dev.vigil.bench.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Searches OpenSearch every {@link #INTERVAL} for the {@code response} documents of the calls still pending (by
 * {@code requestId}, as an analyst would find them) and, for each one found, records the time from the client having
 * the response to the search answer that returned it. That is an upper bound on "searchable": it includes up to one
 * interval and the search itself.
 */
final class SearchablePoller implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration GIVE_UP = Duration.ofSeconds(20);
  private static final int MAX_IDS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI search;
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final List<Double> visibleMillis = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile String failure;
  private long searches;

  SearchablePoller(String openSearchUrl, String indexPattern) {
    this.search = URI.create(openSearchUrl + "/" + indexPattern + "/_search?filter_path=hits.hits._source.requestId");
    this.thread = new Thread(this::loop, "searchable-poller");
    thread.setDaemon(true);
    thread.start();
  }

  void expect(OpenLoopCalls.Answered a) {
    pending.put(a.requestId(), a.receivedNanos());
  }

  int pending() {
    return pending.size();
  }

  /** Waits until nothing is pending or the timeout passed; then forgets what is still pending and returns the count. */
  int awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline && failure == null) {
      Thread.sleep(INTERVAL.toMillis());
    }
    if (failure != null) {
      throw new IllegalStateException("searching OpenSearch failed: " + failure);
    }
    int left = pending.size();
    pending.clear();
    return left;
  }

  /** The latencies recorded since the last call, in milliseconds; starts a new sample. */
  synchronized double[] takeMillis() {
    double[] out = visibleMillis.stream().mapToDouble(Double::doubleValue).toArray();
    visibleMillis.clear();
    return out;
  }

  synchronized long searches() {
    return searches;
  }

  /** Polls until closed; a search that fails is retried (a new daily index answers 503 until its shard started). */
  private void loop() {
    long failingSince = 0;
    while (!stopped) {
      try {
        if (!pending.isEmpty()) {
          pollOnce();
        }
        failingSince = 0;
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        long now = System.nanoTime();
        failingSince = failingSince == 0 ? now : failingSince;
        if (now - failingSince > GIVE_UP.toNanos()) {
          failure = e.toString();
          return;
        }
        LockSupport.parkNanos(INTERVAL.toNanos());
      }
    }
  }

  private void pollOnce() throws Exception {
    List<String> ids = pending.keySet().stream().limit(MAX_IDS).toList();
    ObjectNode body = JSON.createObjectNode().put("size", ids.size());
    ObjectNode bool = body.putObject("query").putObject("bool");
    bool.putArray("filter").add(terms(ids)).addObject().putObject("term").put("type", "response");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    long answered = System.nanoTime();
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
    synchronized (this) {
      searches++;
      for (JsonNode hit : JSON.readTree(r.body()).path("hits").path("hits")) {
        Long received = pending.remove(hit.path("_source").path("requestId").asText());
        if (received != null) {
          visibleMillis.add(TimeUnit.NANOSECONDS.toMicros(answered - received) / 1000.0);
        }
      }
    }
  }

  private static ObjectNode terms(List<String> ids) {
    ObjectNode t = JSON.createObjectNode();
    var values = t.putObject("terms").putArray("requestId");
    ids.forEach(values::add);
    return t;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

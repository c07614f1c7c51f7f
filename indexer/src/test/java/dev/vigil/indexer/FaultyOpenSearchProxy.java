package dev.vigil.indexer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of the embedded OpenSearch node that can make {@code _bulk} requests fail: as a whole (503) or
 * item by item (every item answered 429 without being written). Everything else is forwarded.
 */
final class FaultyOpenSearchProxy implements AutoCloseable {

  enum Mode { PASS, BULK_UNAVAILABLE, BULK_ITEMS_TOO_MANY_REQUESTS }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String target;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
  private final AtomicInteger faultsLeft = new AtomicInteger(Integer.MAX_VALUE);
  private final AtomicInteger bulkFaults = new AtomicInteger();

  FaultyOpenSearchProxy(String target) throws IOException {
    this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Fails bulk requests in {@code m} for the next {@code times} bulk requests (then passes). */
  void fail(Mode m, int times) {
    faultsLeft.set(times);
    mode.set(m);
  }

  void fail(Mode m) {
    fail(m, Integer.MAX_VALUE);
  }

  void pass() {
    mode.set(Mode.PASS);
  }

  int bulkFaults() {
    return bulkFaults.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = ex.getRequestURI().getRawPath();
      Mode m = mode.get();
      if (path.endsWith("/_bulk") && m != Mode.PASS && faultsLeft.getAndDecrement() > 0) {
        bulkFaults.incrementAndGet();
        if (m == Mode.BULK_UNAVAILABLE) {
          respond(ex, 503, "{\"error\":{\"type\":\"unavailable\",\"reason\":\"injected\"},\"status\":503}".getBytes(StandardCharsets.UTF_8));
        } else {
          respond(ex, 200, tooManyRequests(body));
        }
        return;
      }
      forward(ex, body);
    }
  }

  /** A bulk answer where every item failed with 429. */
  private static byte[] tooManyRequests(byte[] ndjson) throws IOException {
    ObjectNode answer = JSON.createObjectNode().put("took", 1).put("errors", true);
    ArrayNode items = answer.putArray("items");
    String[] lines = new String(ndjson, StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i += 2) {
      if (lines[i].isBlank()) {
        continue;
      }
      JsonNode action = JSON.readTree(lines[i]).get("index");
      ObjectNode item = items.addObject().putObject("index");
      item.put("_index", action.path("_index").asText()).put("_id", action.path("_id").asText()).put("status", 429);
      item.putObject("error").put("type", "es_rejected_execution_exception").put("reason", "injected rejection");
    }
    return JSON.writeValueAsBytes(answer);
  }

  private void forward(HttpExchange ex, byte[] body) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query)))
        .timeout(Duration.ofSeconds(60))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null) {
      req.header("Content-Type", contentType);
    }
    try {
      HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(r.statusCode(), -1);
      } else {
        respond(ex, r.statusCode(), r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(ex, 502, new byte[0]);
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    if (!ex.getResponseHeaders().containsKey("Content-Type")) {
      ex.getResponseHeaders().add("Content-Type", "application/json");
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

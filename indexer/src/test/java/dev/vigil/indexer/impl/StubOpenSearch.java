package dev.vigil.indexer.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.opensearch.client.transport.OpenSearchTransport;

import dev.vigil.indexer.OpenSearchClients;

/**
 * A fake OpenSearch for unit tests: accepts index templates and answers {@code _bulk} requests with every item created,
 * unless told to refuse whole requests (a fixed status, or 413 above a number of operations or when a request holds one
 * of the "huge" ids). Records the ids of every bulk request it answered.
 */
final class StubOpenSearch implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  /** The ids of every bulk request received, in order (including refused ones). */
  final List<List<String>> bulkRequests = new CopyOnWriteArrayList<>();
  /** The path of every request received. */
  final List<String> paths = new CopyOnWriteArrayList<>();
  /** Every bulk action line received. */
  final List<String> bulkActions = new CopyOnWriteArrayList<>();
  /** The ids of every document acknowledged as created. */
  final List<String> stored = new CopyOnWriteArrayList<>();
  volatile int wholeRequestStatus;
  volatile int maxOpsPerRequest = Integer.MAX_VALUE;
  volatile Set<String> hugeIds = Set.of();
  /** Ids whose items are answered with a 409 version conflict. */
  volatile Set<String> conflictIds = Set.of();
  /** Plugin components {@code _cat/plugins} lists. */
  volatile List<String> plugins = List.of();
  /** Indices {@code _cat/indices} lists; DELETE removes from it. */
  final List<String> indices = new CopyOnWriteArrayList<>();
  /** The installed ISM policy answered to GET (null: 404). */
  volatile String ismPolicy;
  /** Every non-bulk request: {@code METHOD path[?query] body}. */
  final List<String> requests = new CopyOnWriteArrayList<>();

  StubOpenSearch() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  OpenSearchTransport transport() {
    return OpenSearchClients.transport(url(), null, null);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      paths.add(path);
      if (path.endsWith("/_bulk")) {
        bulk(ex, body);
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      requests.add(method + " " + path + (query == null ? "" : "?" + query) + " " + new String(body, StandardCharsets.UTF_8));
      if (path.contains("/_index_template/")) {
        respond(ex, 200, "{\"acknowledged\":true}");
      } else if (path.equals("/_cat/plugins")) {
        ArrayNode rows = JSON.createArrayNode();
        plugins.forEach(p -> rows.addObject().put("component", p));
        respond(ex, 200, JSON.writeValueAsString(rows));
      } else if (path.startsWith("/_cat/indices")) {
        ArrayNode rows = JSON.createArrayNode();
        indices.forEach(i -> rows.addObject().put("index", i));
        respond(ex, 200, JSON.writeValueAsString(rows));
      } else if (path.startsWith("/_plugins/_ism/policies/") && method.equals("GET")) {
        String policy = ismPolicy;
        respond(ex, policy == null ? 404 : 200, policy == null ? "{\"error\":{\"type\":\"status_exception\"},\"status\":404}" : policy);
      } else if (path.startsWith("/_plugins/_ism/")) {
        respond(ex, 200, "{\"updated_indices\":1,\"failures\":false,\"failed_indices\":[]}");
      } else if (method.equals("DELETE") && indices.remove(path.substring(1))) {
        respond(ex, 200, "{\"acknowledged\":true}");
      } else {
        respond(ex, 404, "{\"error\":{\"type\":\"not_found\",\"reason\":\"stub\"},\"status\":404}");
      }
    }
  }

  private void bulk(HttpExchange ex, byte[] ndjson) throws IOException {
    String[] lines = new String(ndjson, StandardCharsets.UTF_8).split("\n");
    ObjectNode answer = JSON.createObjectNode().put("took", 1).put("errors", false);
    ArrayNode items = answer.putArray("items");
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < lines.length; i += 2) {
      if (lines[i].isBlank()) {
        continue;
      }
      JsonNode action = JSON.readTree(lines[i]).get("index");
      bulkActions.add(lines[i]);
      String id = action.path("_id").asText();
      ids.add(id);
      ObjectNode item = items.addObject().putObject("index").put("_index", action.path("_index").asText()).put("_id", id);
      if (conflictIds.contains(id)) {
        answer.put("errors", true);
        item.put("status", 409).putObject("error").put("type", "version_conflict_engine_exception")
            .put("reason", "[" + id + "]: version conflict, current version [9] is higher than the one provided");
      } else {
        item.put("status", 201).put("result", "created");
      }
    }
    bulkRequests.add(List.copyOf(ids));
    int status = wholeRequestStatus;
    if (status != 0) {
      respond(ex, status, "{\"error\":{\"type\":\"injected_exception\",\"reason\":\"injected " + status + "\"},\"status\":"
          + status + "}");
    } else if (ids.size() > maxOpsPerRequest || ids.stream().anyMatch(hugeIds::contains)) {
      respond(ex, 413, "");
    } else {
      ids.stream().filter(id -> !conflictIds.contains(id)).forEach(stored::add);
      respond(ex, 200, JSON.writeValueAsString(answer));
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

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
  /** The ids of every document acknowledged as created. */
  final List<String> stored = new CopyOnWriteArrayList<>();
  volatile int wholeRequestStatus;
  volatile int maxOpsPerRequest = Integer.MAX_VALUE;
  volatile Set<String> hugeIds = Set.of();

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
      paths.add(path);
      if (path.contains("/_index_template/")) {
        respond(ex, 200, "{\"acknowledged\":true}");
      } else if (path.endsWith("/_bulk")) {
        bulk(ex, body);
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
      ids.add(action.path("_id").asText());
      items.addObject().putObject("index").put("_index", action.path("_index").asText())
          .put("_id", action.path("_id").asText()).put("status", 201).put("result", "created");
    }
    bulkRequests.add(List.copyOf(ids));
    int status = wholeRequestStatus;
    if (status != 0) {
      respond(ex, status, "{\"error\":{\"type\":\"injected_exception\",\"reason\":\"injected " + status + "\"},\"status\":"
          + status + "}");
    } else if (ids.size() > maxOpsPerRequest || ids.stream().anyMatch(hugeIds::contains)) {
      respond(ex, 413, "");
    } else {
      stored.addAll(ids);
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

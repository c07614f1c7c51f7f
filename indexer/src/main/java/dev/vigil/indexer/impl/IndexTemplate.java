package dev.vigil.indexer.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import dev.vigil.indexer.IndexerConfig;

/**
 * The composable index template {@code <prefix>} covering {@code <prefix>-*}: explicit mappings (resource
 * {@code vigil-events-mappings.json}, {@code dynamic: false}) and shard/replica settings. Installed (overwritten) at every
 * start, so a new indexer version takes effect from the next daily index on.
 */
public final class IndexTemplate {

  static final String MAPPINGS_RESOURCE = "/dev/vigil/indexer/vigil-events-mappings.json";
  static final int VERSION = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  private IndexTemplate() {}

  /** The mappings document (the {@code mappings} part of the template). */
  public static ObjectNode mappings() {
    try (InputStream in = IndexTemplate.class.getResourceAsStream(MAPPINGS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + MAPPINGS_RESOURCE);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The full {@code PUT _index_template} body for {@code config}. */
  public static ObjectNode body(IndexerConfig config) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("index_patterns").add(config.indexPattern());
    body.put("priority", 100);
    body.put("version", VERSION);
    ObjectNode template = body.putObject("template");
    template.putObject("settings")
        .put("number_of_shards", config.indexShards())
        .put("number_of_replicas", config.indexReplicas());
    template.set("mappings", mappings());
    body.putObject("_meta").put("managed_by", "vigil-indexer");
    return body;
  }

  /**
   * Installs the template. Throws {@link IOException} on transport failures and 5xx/429 answers (worth retrying) and
   * {@link IllegalStateException} on other error answers (a broken template will not get better).
   */
  public static void install(OpenSearchClient client, IndexerConfig config) throws IOException {
    String json = JSON.writeValueAsString(body(config));
    try (Response r = client.generic().execute(Requests.builder()
        .method("PUT")
        .endpoint("/_index_template/" + config.indexPrefix())
        .json(json)
        .build())) {
      int status = r.getStatus();
      if (status >= 200 && status < 300) {
        return;
      }
      String answer = r.getBody().map(Body::bodyAsString).orElse("");
      String message = "PUT _index_template/" + config.indexPrefix() + " answered " + status + ": " + abbreviate(answer);
      if (status == 429 || status == 408 || status >= 500) {
        throw new IOException(message);
      }
      throw new IllegalStateException(message);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}

package dev.vigil.indexer.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.IndexerConfig;

/**
 * A composable index template with explicit mappings ({@code dynamic: false}) and shard/replica settings, (re)installed
 * at every start:
 * <ul>
 *   <li>events: template {@code <prefix>} for the daily indices {@code <prefix>-*} (resource
 *       {@code vigil-events-mappings.json}); a change applies from the next daily index on;</li>
 *   <li>sessions and alerts: a template named after the one index it covers ({@code vigil-sessions},
 *       {@code vigil-alerts}; priority 200, so it wins over an events pattern that happens to cover it). If the index
 *       already exists, the mappings are also applied to it ({@code PUT <index>/_mapping}: new fields are added; a
 *       conflicting change is logged and left alone — documents that do not fit are then dead-lettered).</li>
 * </ul>
 */
public final class IndexTemplate {

  static final String EVENTS_MAPPINGS = "/dev/vigil/indexer/vigil-events-mappings.json";
  static final String SESSIONS_MAPPINGS = "/dev/vigil/indexer/vigil-sessions-mappings.json";
  static final String ALERTS_MAPPINGS = "/dev/vigil/indexer/vigil-alerts-mappings.json";
  static final int VERSION = 4;

  private static final Logger LOG = LoggerFactory.getLogger(IndexTemplate.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String pattern;
  private final boolean singleIndex;
  private final int priority;
  private final String mappingsResource;
  private final int shards;
  private final int replicas;

  private IndexTemplate(String name, String pattern, boolean singleIndex, int priority, String mappingsResource,
      IndexerConfig config) {
    this.name = name;
    this.pattern = pattern;
    this.singleIndex = singleIndex;
    this.priority = priority;
    this.mappingsResource = mappingsResource;
    this.shards = config.indexShards();
    this.replicas = config.indexReplicas();
  }

  /** The daily events indices' template. */
  public static IndexTemplate events(IndexerConfig config) {
    return new IndexTemplate(config.indexPrefix(), config.indexPattern(), false, 100, EVENTS_MAPPINGS, config);
  }

  public static IndexTemplate sessions(IndexerConfig config) {
    return new IndexTemplate(config.sessionsIndex(), config.sessionsIndex(), true, 200, SESSIONS_MAPPINGS, config);
  }

  public static IndexTemplate alerts(IndexerConfig config) {
    return new IndexTemplate(config.alertsIndex(), config.alertsIndex(), true, 200, ALERTS_MAPPINGS, config);
  }

  /** The templates this configuration needs: events, and sessions / alerts when enabled. */
  public static List<IndexTemplate> all(IndexerConfig config) {
    List<IndexTemplate> t = new java.util.ArrayList<>(List.of(events(config)));
    if (config.sessionsEnabled()) {
      t.add(sessions(config));
    }
    if (config.alertsEnabled()) {
      t.add(alerts(config));
    }
    return List.copyOf(t);
  }

  public String name() {
    return name;
  }

  /** The events mappings document (the {@code mappings} part of the events template). */
  public static ObjectNode mappings() {
    return mappings(EVENTS_MAPPINGS);
  }

  /** A mappings document from the classpath. */
  public static ObjectNode mappings(String resource) {
    try (InputStream in = IndexTemplate.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events template's {@code PUT _index_template} body for {@code config}. */
  public static ObjectNode body(IndexerConfig config) {
    return events(config).body();
  }

  /** The full {@code PUT _index_template} body. */
  public ObjectNode body() {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("index_patterns").add(pattern);
    body.put("priority", priority);
    body.put("version", VERSION);
    ObjectNode template = body.putObject("template");
    template.putObject("settings").put("number_of_shards", shards).put("number_of_replicas", replicas);
    template.set("mappings", mappings(mappingsResource));
    body.putObject("_meta").put("managed_by", "vigil-indexer");
    return body;
  }

  /**
   * Installs the template (and, for a single index that exists, its mappings). Throws {@link IOException} on transport
   * failures and 5xx/429 answers (worth retrying) and {@link IllegalStateException} on other error answers to the
   * template (a broken template will not get better).
   */
  public void install(OpenSearchClient client) throws IOException {
    OpenSearchCalls calls = new OpenSearchCalls(client);
    calls.require("PUT", "/_index_template/" + name, JSON.writeValueAsString(body()));
    if (!singleIndex) {
      return;
    }
    OpenSearchCalls.Answer exists = calls.call("HEAD", "/" + name, null);
    if (exists.status() == 404) {
      return; // created with the template's mappings on the first write
    }
    if (exists.retryable()) {
      throw new IOException(exists.describe("HEAD /" + name));
    }
    OpenSearchCalls.Answer put = calls.call("PUT", "/" + name + "/_mapping", JSON.writeValueAsString(mappings(mappingsResource)));
    if (put.retryable()) {
      throw new IOException(put.describe("PUT /" + name + "/_mapping"));
    }
    if (!put.ok()) {
      LOG.warn("The existing index {} keeps its mappings: {} (documents that do not fit them go to the DLQ; reindex to fix)",
          name, put.describe("PUT /" + name + "/_mapping"));
    }
  }
}

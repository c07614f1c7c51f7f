package dev.vigil.indexer.impl;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.IndexerConfig;

/**
 * Retention through OpenSearch's Index State Management plugin: a policy {@code <prefix>-retention} with a
 * {@code hot} state moving to {@code delete} at {@code min_index_age = days + 1} (a daily index is created with its
 * day's first event, so its last events are {@code days} days old one day later) and an {@code ism_template} that
 * attaches it to every new {@code <prefix>-*} index. Installed at start: created if missing, replaced (with the
 * concurrency-control numbers OpenSearch requires) if its description — which encodes the settings — differs, then
 * attached to existing unmanaged indices ({@code _plugins/_ism/add}) and, after a change, moved to the new version
 * ({@code _plugins/_ism/change_policy}).
 */
final class IsmRetention {

  static final String PLUGIN = "opensearch-index-management";
  private static final Logger LOG = LoggerFactory.getLogger(IsmRetention.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenSearchCalls calls;
  private final IndexerConfig config;

  IsmRetention(OpenSearchCalls calls, IndexerConfig config) {
    this.calls = calls;
    this.config = config;
  }

  /**
   * Whether the cluster runs the ISM plugin ({@code GET _cat/plugins}): true or false, or null when OpenSearch does not
   * tell (the call is refused, e.g. 403 for a user without the {@code cluster:monitor} permission). Throws
   * {@link IOException} on transport failures and retryable answers.
   */
  static Boolean available(OpenSearchCalls calls) throws IOException {
    OpenSearchCalls.Answer a = calls.call("GET", "/_cat/plugins", Map.of("format", "json", "h", "component"), null);
    if (a.retryable()) {
      throw new IOException(a.describe("GET /_cat/plugins"));
    }
    if (!a.ok()) {
      LOG.warn("Cannot tell whether the cluster has the ISM plugin: {}", a.describe("GET /_cat/plugins"));
      return null;
    }
    for (JsonNode row : JSON.readTree(a.body())) {
      if (PLUGIN.equals(row.path("component").asText())) {
        return true;
      }
    }
    return false;
  }

  static String policyId(IndexerConfig config) {
    return config.indexPrefix() + "-retention";
  }

  /** The {@code PUT _plugins/_ism/policies/<id>} body. */
  static ObjectNode policy(IndexerConfig config) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode p = root.putObject("policy");
    p.put("description", description(config));
    p.put("default_state", "hot");
    ArrayNode states = p.putArray("states");
    ObjectNode hot = states.addObject().put("name", "hot");
    hot.putArray("actions");
    hot.putArray("transitions").addObject().put("state_name", "delete")
        .putObject("conditions").put("min_index_age", (config.retentionDays() + 1) + "d");
    ObjectNode delete = states.addObject().put("name", "delete");
    delete.putArray("actions").addObject().putObject("delete");
    delete.putArray("transitions");
    p.putArray("ism_template").addObject().put("priority", 100).putArray("index_patterns").add(config.indexPattern());
    return root;
  }

  /** Identifies the policy's settings: a different description means the installed policy is outdated. */
  static String description(IndexerConfig config) {
    return "vigil-indexer retention v1: delete " + config.indexPattern() + " indices " + config.retentionDays()
        + " days after their day ends";
  }

  /** Installs or updates the policy and attaches it to the existing indices. */
  void install() throws IOException {
    String id = policyId(config);
    String endpoint = "/_plugins/_ism/policies/" + id;
    String body = JSON.writeValueAsString(policy(config));
    OpenSearchCalls.Answer current = calls.call("GET", endpoint, null);
    boolean changed = false;
    if (current.status() == 404) {
      calls.require("PUT", endpoint, body);
      LOG.info("Retention: ISM policy {} created ({})", id, description(config));
    } else if (current.ok()) {
      JsonNode installed = JSON.readTree(current.body());
      if (description(config).equals(installed.at("/policy/description").asText())) {
        LOG.info("Retention: ISM policy {} is up to date ({})", id, description(config));
      } else {
        calls.require("PUT", endpoint, Map.of("if_seq_no", installed.path("_seq_no").asText(),
            "if_primary_term", installed.path("_primary_term").asText()), body);
        LOG.info("Retention: ISM policy {} updated ({})", id, description(config));
        changed = true;
      }
    } else if (current.retryable()) {
      throw new IOException(current.describe("GET " + endpoint));
    } else {
      throw new IllegalStateException(current.describe("GET " + endpoint));
    }
    String policyRef = JSON.writeValueAsString(JSON.createObjectNode().put("policy_id", id));
    JsonNode added = attach("/_plugins/_ism/add/" + config.indexPattern(), policyRef);
    LOG.info("Retention: ISM policy {} attached to {} existing unmanaged indices", id, added.path("updated_indices").asInt());
    if (changed) {
      attach("/_plugins/_ism/change_policy/" + config.indexPattern(), policyRef);
    }
  }

  /** POSTs {@code policyRef} to an ISM index endpoint; a 404 (no index matches yet) is an empty answer. */
  private JsonNode attach(String endpoint, String policyRef) throws IOException {
    OpenSearchCalls.Answer a = calls.call("POST", endpoint, policyRef);
    if (a.ok()) {
      return JSON.readTree(a.body());
    }
    if (a.status() == 404) {
      return JSON.createObjectNode();
    }
    if (a.retryable()) {
      throw new IOException(a.describe("POST " + endpoint));
    }
    throw new IllegalStateException(a.describe("POST " + endpoint));
  }
}

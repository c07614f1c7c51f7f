package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;

class IndexTemplateTest {

  private static final IndexerConfig CONFIG = IndexerConfig.from(Settings.of(Map.of(
      "vigil.indexer.kafka.consumer.bootstrap.servers", "x:9092",
      "vigil.indexer.index-prefix", "audit",
      "vigil.indexer.index.replicas", "1")));

  @Test
  void shouldCoverThePrefixPatternWithSettings() {
    ObjectNode body = IndexTemplate.body(CONFIG);

    assertThat(body.get("index_patterns").get(0).asText()).isEqualTo("audit-*");
    assertThat(body.at("/template/settings/number_of_replicas").asInt()).isEqualTo(1);
    assertThat(body.at("/template/settings/number_of_shards").asInt()).isEqualTo(1);
  }

  @Test
  void shouldMapTheDocumentContractExplicitly() {
    JsonNode m = IndexTemplate.body(CONFIG).at("/template/mappings");

    assertThat(m.get("dynamic").asBoolean()).isFalse();
    assertThat(type(m, "/properties/time")).isEqualTo("date");
    assertThat(type(m, "/properties/findings")).isEqualTo("nested");
    assertThat(type(m, "/properties/body/properties/content")).isEqualTo("text");
    for (String keyword : new String[] {"/properties/identity/properties/username", "/properties/identity/properties/groups",
        "/properties/k8s/properties/namespace", "/properties/k8s/properties/verb", "/properties/k8s/properties/resource",
        "/properties/k8s/properties/name", "/properties/status", "/properties/decision/properties/ruleId",
        "/properties/sessionKey", "/properties/eventId"}) {
      assertThat(type(m, keyword)).as(keyword).isEqualTo("keyword");
    }
    assertThat(m.at("/properties/headers/enabled").asBoolean(true)).isFalse();
    assertThat(type(m, "/properties/kafka/properties/offset")).isEqualTo("long");
    assertThat(type(m, "/properties/kafka/properties/partition")).isEqualTo("integer");
    assertThat(type(m, "/properties/identity/properties/authenticated")).isEqualTo("boolean");
    assertThat(type(m, "/properties/gap/properties/eventsLost")).isEqualTo("long");
    assertThat(type(m, "/properties/gap/properties/requestsLost")).isEqualTo("long");
    assertThat(type(m, "/properties/gap/properties/firstLostAt")).isEqualTo("date");
    assertThat(type(m, "/properties/gap/properties/reason")).isEqualTo("keyword");
    assertThat(type(m, "/properties/gap/properties/lostRequestIds")).isEqualTo("keyword");
    for (String llm : new String[] {"provider", "operation", "model"}) {
      assertThat(type(m, "/properties/llm/properties/" + llm)).as(llm).isEqualTo("keyword");
    }
    assertThat(type(m, "/properties/llm/properties/stream")).isEqualTo("boolean");
  }

  @Test
  void shouldStoreRawNotIndexedAndRecordTheBodyCap() {
    JsonNode m = IndexTemplate.body(CONFIG).at("/template/mappings");

    assertThat(type(m, "/properties/raw")).isEqualTo("binary");
    assertThat(m.at("/properties/raw").size()).as("binary: stored in _source, never indexed").isEqualTo(1);
    assertThat(type(m, "/properties/bodyTruncatedAt")).isEqualTo("integer");
  }

  @Test
  void shouldMapSessionsExplicitlyInTheirOwnIndex() {
    IndexTemplate t = IndexTemplate.sessions(CONFIG);
    JsonNode body = t.body();
    JsonNode m = body.at("/template/mappings");

    assertThat(t.name()).isEqualTo("vigil-sessions");
    assertThat(body.get("index_patterns").get(0).asText()).isEqualTo("vigil-sessions");
    assertThat(body.get("priority").asInt()).isGreaterThan(IndexTemplate.body(CONFIG).get("priority").asInt());
    assertThat(m.get("dynamic").asBoolean()).isFalse();
    for (String keyword : new String[] {"sessionId", "sessionKey", "status", "verbs", "resources", "namespaces", "channels",
        "identity/properties/username", "identity/properties/groups", "headDigest", "signature", "signingKeyId"}) {
      assertThat(type(m, "/properties/" + keyword)).as(keyword).isEqualTo("keyword");
    }
    for (String date : new String[] {"firstEventTime", "lastEventTime"}) {
      assertThat(type(m, "/properties/" + date)).isEqualTo("date");
    }
    for (String count : new String[] {"eventCount", "deniedCount", "alertCount", "duplicatesSkipped", "firstEventTimeMillis",
        "lastEventTimeMillis", "kafka/properties/offset"}) {
      assertThat(type(m, "/properties/" + count)).as(count).isEqualTo("long");
    }
    assertThat(type(m, "/properties/hasAlerts")).isEqualTo("boolean");
    assertThat(m.at("/properties/countsByVerb/enabled").asBoolean(true)).isFalse();
    assertThat(m.at("/properties/signature/index").asBoolean(true)).isFalse();
  }

  @Test
  void shouldMapAlertsExplicitlyInTheirOwnIndex() {
    IndexTemplate t = IndexTemplate.alerts(CONFIG);
    JsonNode m = t.body().at("/template/mappings");

    assertThat(t.name()).isEqualTo("vigil-alerts");
    for (String keyword : new String[] {"alertId", "type", "severity", "sessionKey", "sessionId", "evidenceEventIds",
        "identity/properties/username", "description/fields/keyword"}) {
      assertThat(type(m, "/properties/" + keyword)).as(keyword).isEqualTo("keyword");
    }
    assertThat(type(m, "/properties/description")).isEqualTo("text");
    assertThat(type(m, "/properties/time")).isEqualTo("date");
    assertThat(type(m, "/properties/timeMillis")).isEqualTo("long");
    assertThat(type(m, "/properties/attributes")).isEqualTo("flat_object");
  }

  @Test
  void shouldInstallOnlyTheTemplatesOfEnabledTopics() {
    IndexerConfig eventsOnly = IndexerConfig.from(Settings.of(Map.of(
        "vigil.indexer.kafka.consumer.bootstrap.servers", "x:9092",
        "vigil.indexer.sessions.enabled", "false",
        "vigil.indexer.alerts.enabled", "false")));

    assertThat(IndexTemplate.all(CONFIG)).extracting(IndexTemplate::name).containsExactly("audit", "vigil-sessions", "vigil-alerts");
    assertThat(IndexTemplate.all(eventsOnly)).extracting(IndexTemplate::name).containsExactly("vigil-events");
  }

  private static String type(JsonNode mappings, String pointer) {
    return mappings.at(pointer + "/type").asText();
  }
}

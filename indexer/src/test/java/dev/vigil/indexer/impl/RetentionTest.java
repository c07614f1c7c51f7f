package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;

/** Retention: the mechanism chosen, the ISM requests' shape and the deletion task, against a stub OpenSearch. */
class RetentionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-31T10:00:00Z"), ZoneOffset.UTC);

  private StubOpenSearch stub;
  private OpenSearchTransport transport;
  private OpenSearchCalls calls;
  private final AtomicLong deleted = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    stub = new StubOpenSearch();
    transport = stub.transport();
    calls = new OpenSearchCalls(new OpenSearchClient(transport));
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    stub.close();
  }

  private static IndexerConfig config(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.indexer.kafka.consumer.bootstrap.servers", "x:9092");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return IndexerConfig.from(Settings.of(m));
  }

  @Test
  void shouldSelectOnlyDailyIndicesWhoseEventsAreAllOlderThanTheRetention() {
    List<String> names = List.of("vigil-events-2025.02.28", "vigil-events-2025.03.01", "vigil-events-2025.03.31",
        "vigil-events-2024.12.31", "vigil-events-archive", "vigil-events-2025.13.01", "vigil-events-2025.02.28-x",
        "other-2001.01.01", "vigil-events-2025.02.30");

    assertThat(RetentionTask.expired(names, "vigil-events", LocalDate.of(2025, 3, 31), 30))
        .containsExactly("vigil-events-2024.12.31", "vigil-events-2025.02.28");
  }

  @Test
  void shouldFallBackToTheDeletionTaskWithoutTheIsmPluginAndDeleteOldIndices() throws Exception {
    stub.indices.addAll(List.of("vigil-events-2025.01.01", "vigil-events-2025.03.30", "vigil-events-notes"));

    Retention retention = Retention.setUp(config(), calls, CLOCK, deleted);
    retention.runIfDue();

    assertThat(retention.mechanism()).isEqualTo(Retention.Mechanism.TASK);
    assertThat(stub.indices).containsExactlyInAnyOrder("vigil-events-2025.03.30", "vigil-events-notes");
    assertThat(deleted.get()).isEqualTo(1);
    assertThat(stub.requests).noneMatch(r -> r.contains("_ism"));

    stub.indices.add("vigil-events-2025.01.02");
    retention.runIfDue();
    assertThat(stub.indices).as("not due again before the interval").contains("vigil-events-2025.01.02");
  }

  @Test
  void shouldInstallTheIsmPolicyAndAttachItWhenThePluginIsThere() throws Exception {
    stub.plugins = List.of("opensearch-security", IsmRetention.PLUGIN);

    Retention retention = Retention.setUp(config("vigil.indexer.retention.days", "7"), calls, CLOCK, deleted);
    retention.runIfDue();

    assertThat(retention.mechanism()).isEqualTo(Retention.Mechanism.ISM);
    String put = single("PUT /_plugins/_ism/policies/vigil-events-retention ");
    JsonNode policy = JSON.readTree(put.substring(put.indexOf('{'))).get("policy");
    assertThat(policy.get("default_state").asText()).isEqualTo("hot");
    assertThat(policy.at("/states/0/transitions/0/state_name").asText()).isEqualTo("delete");
    assertThat(policy.at("/states/0/transitions/0/conditions/min_index_age").asText()).isEqualTo("8d");
    assertThat(policy.at("/states/1/actions/0").has("delete")).isTrue();
    assertThat(policy.at("/ism_template/0/index_patterns/0").asText()).isEqualTo("vigil-events-*");
    assertThat(single("POST /_plugins/_ism/add/vigil-events-* ")).endsWith("{\"policy_id\":\"vigil-events-retention\"}");
    assertThat(stub.requests).noneMatch(r -> r.startsWith("DELETE") || r.contains("change_policy"));
  }

  @Test
  void shouldLeaveAnUpToDatePolicyAloneAndReplaceAnOutdatedOne() throws Exception {
    stub.plugins = List.of(IsmRetention.PLUGIN);
    IndexerConfig config = config();
    stub.ismPolicy = "{\"_id\":\"vigil-events-retention\",\"_seq_no\":4,\"_primary_term\":2,\"policy\":{\"description\":\""
        + IsmRetention.description(config) + "\"}}";

    Retention.setUp(config, calls, CLOCK, deleted);
    assertThat(stub.requests).noneMatch(r -> r.startsWith("PUT /_plugins"));

    stub.ismPolicy = stub.ismPolicy.replace("30 days", "90 days");
    Retention.setUp(config, calls, CLOCK, deleted);
    assertThat(single("PUT /_plugins/_ism/policies/vigil-events-retention?")).contains("if_seq_no=4").contains("if_primary_term=2");
    assertThat(single("POST /_plugins/_ism/change_policy/vigil-events-* ")).contains("vigil-events-retention");
  }

  @Test
  void shouldRefuseModeIsmWithoutThePluginAndDoNothingWhenOff() throws Exception {
    assertThatThrownBy(() -> Retention.setUp(config("vigil.indexer.retention.mode", "ism"), calls, CLOCK, deleted))
        .isInstanceOf(IndexerFatalException.class).hasMessageContaining("no Index State Management plugin");

    stub.requests.clear();
    stub.indices.add("vigil-events-2001.01.01");
    Retention off = Retention.setUp(config("vigil.indexer.retention.mode", "off"), calls, CLOCK, deleted);
    off.runIfDue();
    assertThat(off.mechanism()).isEqualTo(Retention.Mechanism.OFF);
    assertThat(stub.requests).isEmpty();
    assertThat(stub.indices).contains("vigil-events-2001.01.01");
  }

  private String single(String prefix) {
    List<String> matching = stub.requests.stream().filter(r -> r.startsWith(prefix)).toList();
    assertThat(matching).as(prefix + " in " + stub.requests).hasSize(1);
    return matching.get(0);
  }
}

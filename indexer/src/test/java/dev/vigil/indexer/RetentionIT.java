package dev.vigil.indexer;

import static dev.vigil.indexer.IndexerItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;

/** Retention on the embedded node, which has no ISM plugin: the indexer's deletion task is the mechanism. */
@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
class RetentionIT {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd");

  private IndexerItSupport it;
  private OpenSearchClient os;

  @BeforeEach
  void setUp(EmbeddedKafka kafka, EmbeddedOpenSearch openSearch) {
    it = new IndexerItSupport(kafka, openSearch);
    os = OpenSearchClients.create(openSearch.httpUrl());
  }

  @AfterEach
  void tearDown() {
    it.close();
    OpenSearchClients.close(os);
  }

  private int call(String method, String endpoint) throws Exception {
    try (Response r = os.generic().execute(Requests.builder().method(method).endpoint(endpoint).build())) {
      return r.getStatus();
    }
  }

  private String body(String endpoint) throws Exception {
    try (Response r = os.generic().execute(Requests.builder().method("GET").endpoint(endpoint).build())) {
      return r.getBody().orElseThrow().bodyAsString();
    }
  }

  private boolean exists(String index) throws Exception {
    return call("HEAD", "/" + index) == 200;
  }

  @Test
  void shouldDeleteDailyIndicesOlderThanTheRetentionWithTheFallbackTaskAndKeepTheRest() throws Exception {
    assertThat(body("/_cat/plugins?format=json")).as("the embedded node has no ISM plugin").doesNotContain("index-management");
    assertThat(call("GET", "/_plugins/_ism/policies")).as("no ISM API").isGreaterThanOrEqualTo(400);

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String expired = it.prefix + "-" + DAY.format(today.minusDays(31));
    String ancient = it.prefix + "-2001.01.01";
    String oldestKept = it.prefix + "-" + DAY.format(today.minusDays(30));
    String fresh = it.prefix + "-" + DAY.format(today);
    String other = it.prefix + "-archive";
    for (String index : List.of(expired, ancient, oldestKept, fresh, other)) {
      assertThat(call("PUT", "/" + index)).isEqualTo(200);
    }

    EventIndexer indexer = it.start(it.config("g-" + it.id, "vigil.indexer.retention.mode", "auto",
        "vigil.indexer.retention.days", "30"));

    assertThat(indexer.stats().retention()).isEqualTo("task");
    await("the expired indices are deleted", () -> !exists(expired) && !exists(ancient));
    assertThat(indexer.stats().indicesDeleted()).isEqualTo(2);
    for (String kept : List.of(oldestKept, fresh, other)) {
      assertThat(exists(kept)).as(kept).isTrue();
    }
  }
}

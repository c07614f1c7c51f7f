package dev.vigil.indexer;

import static dev.vigil.indexer.IndexerItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/** The event document keeps the exact record value ({@code raw}) and records the body cap, on the embedded node. */
@ExtendWith({KafkaExtension.class, OpenSearchExtension.class})
class EventRawIT {

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

  @Test
  void shouldStoreTheExactRecordValueAsRawAndCapBodiesWithTheCapRecorded() throws Exception {
    VigilEvent e = TestEvents.simple("s-" + it.id, 1, TestEvents.T0, "ivy", "get", "pods", "default", "p1", "0123456789abcdef");
    byte[] value = VigilSerdes.events().encode(e);
    it.produce(it.eventsTopic, "s-" + it.id, value);
    String index = it.prefix + "-2025.03.01";

    it.start(it.config("g-" + it.id, "vigil.indexer.max-body-chars", "8"));

    await("the document is stored", () -> os.get(g -> g.index(index).id(e.getEventId()), ObjectNode.class).found());
    GetResponse<ObjectNode> doc = os.get(g -> g.index(index).id(e.getEventId()), ObjectNode.class);
    byte[] raw = Base64.getDecoder().decode(doc.source().get("raw").asText());
    assertThat(raw).isEqualTo(value);
    assertThat(VigilSerdes.events().decode(raw)).isEqualTo(e);
    assertThat(doc.source().at("/body/content").asText()).isEqualTo("01234567");
    assertThat(doc.source().get("bodyTruncatedAt").asInt()).isEqualTo(8);
    assertThat(doc.source().at("/body/cappedByIndexer").asBoolean()).isTrue();
    assertThat(doc.source().at("/kafka/offset").asLong()).isZero();
    try (Response mapping = os.generic().execute(Requests.builder().method("GET").endpoint("/" + index + "/_mapping").build())) {
      assertThat(mapping.getBody().orElseThrow().bodyAsString()).contains("\"raw\":{\"type\":\"binary\"}")
          .contains("\"findings\":{\"type\":\"nested\"");
    }
  }
}

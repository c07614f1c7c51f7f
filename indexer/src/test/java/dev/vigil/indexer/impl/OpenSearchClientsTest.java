package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.OpenSearchClients;

/** The shared client recipe (also used by the query API): base path prefix, no credentials in URLs. */
class OpenSearchClientsTest {

  @Test
  void shouldSendRequestsUnderTheUrlsBasePath() throws Exception {
    try (StubOpenSearch stub = new StubOpenSearch()) {
      OpenSearchClient client = OpenSearchClients.create(stub.url() + "/opensearch/");
      try {
        IndexTemplate.events(IndexerConfig.from(Settings.of(Map.of(
            "vigil.indexer.kafka.consumer.bootstrap.servers", "x:9092")))).install(client);
      } finally {
        OpenSearchClients.close(client);
      }
      assertThat(stub.paths).containsExactly("/opensearch/_index_template/vigil-events");
    }
  }

  @Test
  void shouldRefuseCredentialsInTheUrl() {
    assertThatThrownBy(() -> OpenSearchClients.transport("https://u:secret@os.example:9200", null, null))
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret");
  }

  @Test
  void shouldRedactUserInfoOnly() {
    assertThat(OpenSearchClients.redactUserInfo("https://u:p@host:9200/a@b")).isEqualTo("https://****@host:9200/a@b");
    assertThat(OpenSearchClients.redactUserInfo("https://host/a@b")).isEqualTo("https://host/a@b");
    assertThat(OpenSearchClients.redactUserInfo("host:9092")).isEqualTo("host:9092");
    assertThat(OpenSearchClients.redactUserInfo("SASL_SSL://broker:9093")).isEqualTo("SASL_SSL://broker:9093");
  }
}

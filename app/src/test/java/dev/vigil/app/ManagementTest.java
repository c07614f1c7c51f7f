package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.ops.ManagementSettings;
import dev.vigil.ops.ReadinessCheck;

/** Which dependencies each service's /readyz checks, and where its management server listens. */
class ManagementTest {

  private static final Settings INDEXER = Settings.of(Map.of(
      IndexerConfig.CONSUMER_PREFIX + "bootstrap.servers", "127.0.0.1:1",
      IndexerConfig.OPENSEARCH_URL, "http://127.0.0.1:1"));

  @Test
  void shouldCheckKafkaAndOpenSearchForTheIndexer() {
    List<ReadinessCheck> checks = Management.checks("indexer", INDEXER);
    try {
      assertThat(checks).extracting(ReadinessCheck::name).containsExactly("kafka", "opensearch");
    } finally {
      checks.forEach(ReadinessCheck::close);
    }
  }

  @Test
  void shouldListenOnPort9404OfEveryInterfaceByDefault() {
    assertThat(Management.settings("indexer", INDEXER)).isEqualTo(new ManagementSettings("0.0.0.0", 9404));
  }

  @Test
  void shouldStartNoManagementServerOnPortMinusOne() {
    Settings off = INDEXER.with(Map.of(IndexerConfig.MANAGEMENT_PORT, "-1"));
    assertThat(Management.settings("indexer", off).enabled()).isFalse();
    assertThat(Management.start(null, "indexer", off)).isNull();
  }
}

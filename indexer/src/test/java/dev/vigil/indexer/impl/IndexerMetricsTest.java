package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

import dev.vigil.indexer.EventIndexer;
import dev.vigil.ops.VigilMetrics;

class IndexerMetricsTest {

  @Test
  void shouldExposeTheIndexerCountersAndRemoveThemOnClose() {
    VigilMetrics.prometheus();
    EventIndexer.Stats stats = new EventIndexer.Stats(7, 1, 2, 3, 4, 0, "task", List.of("t-0@5"));
    IndexerMetrics metrics = new IndexerMetrics("metrics-test", () -> stats,
        new MockConsumer<byte[], byte[]>("earliest"), new MockProducer<>());

    String scrape = VigilMetrics.prometheus().scrape();
    metrics.close();

    assertThat(scrape)
        .contains("vigil_indexer_items_indexed_total{group=\"metrics-test\"} 7.0")
        .contains("vigil_indexer_items_dead_lettered_total{group=\"metrics-test\"} 2.0")
        .contains("vigil_indexer_retries_total{group=\"metrics-test\"} 4.0")
        .contains("vigil_indexer_partitions_blocked{group=\"metrics-test\"} 1.0");
    assertThat(VigilMetrics.prometheus().scrape()).doesNotContain("group=\"metrics-test\"");
  }

  @Test
  void shouldKeepCountingAfterAGarbageCollectionWhenOnlyTheMetersHoldTheStatsSupplier() throws Exception {
    VigilMetrics.prometheus();
    java.util.concurrent.atomic.AtomicLong retries = new java.util.concurrent.atomic.AtomicLong(1);
    IndexerMetrics metrics = new IndexerMetrics("metrics-gc-test",
        () -> new EventIndexer.Stats(0, 0, 0, 0, retries.get(), 0, "task", List.of()), null, null);
    try {
      assertThat(VigilMetrics.prometheus().scrape()).contains("vigil_indexer_retries_total{group=\"metrics-gc-test\"} 1.0");
      for (int i = 0; i < 3; i++) {
        System.gc(); // Micrometer holds a meter's state object weakly: a collected supplier froze the counters
        Thread.sleep(50);
      }
      retries.set(5);
      assertThat(VigilMetrics.prometheus().scrape()).contains("vigil_indexer_retries_total{group=\"metrics-gc-test\"} 5.0");
    } finally {
      metrics.close();
    }
  }
}

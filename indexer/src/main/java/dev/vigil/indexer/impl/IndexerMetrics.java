package dev.vigil.indexer.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import dev.vigil.indexer.EventIndexer;
import dev.vigil.ops.VigilMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The indexer's meters in {@link VigilMetrics#registry()} ({@code vigil_indexer_*}), read from its {@link
 * EventIndexer.Stats} counters, plus its Kafka consumer's and producer's client metrics (consumer lag included, as
 * {@code kafka_consumer_fetch_manager_records_lag*}). Removed when the indexer stops.
 */
final class IndexerMetrics implements AutoCloseable {

  private final MeterRegistry registry = VigilMetrics.registry();
  private final List<Meter> meters = new ArrayList<>();
  private final List<KafkaClientMetrics> clients = new ArrayList<>();
  /**
   * Held here because Micrometer holds a meter's state object only weakly: without this reference the supplier was
   * collected at the first GC and every counter froze at its last scraped value.
   */
  private final Supplier<EventIndexer.Stats> stats;

  IndexerMetrics(String groupId, Supplier<EventIndexer.Stats> stats, Consumer<?, ?> consumer, Producer<?, ?> producer) {
    this.stats = stats;
    Tags tags = Tags.of("group", groupId);
    counter("vigil.indexer.items.indexed", tags, stats, s -> s.indexed(), "Documents written (bulk items ok)");
    counter("vigil.indexer.items.superseded", tags, stats, s -> s.superseded(),
        "Session summaries skipped because a newer one is stored");
    counter("vigil.indexer.items.dead.lettered", tags, stats, s -> s.deadLettered(),
        "Records sent to the DLQ (bulk items failed for good, undecodable records)");
    counter("vigil.indexer.retries", tags, stats, s -> s.retries(),
        "Bulk requests, items, commits or polls retried after a retryable failure");
    counter("vigil.indexer.batches.committed", tags, stats, s -> s.committedBatches(), "Batches whose offsets were committed");
    counter("vigil.indexer.indices.deleted", tags, stats, s -> s.indicesDeleted(), "Daily indices deleted by retention");
    meters.add(Gauge.builder("vigil.indexer.partitions.blocked", stats, s -> s.get().blockedPartitions().size())
        .tags(tags).description("Partitions paused on a record of an unknown writer schema").register(registry));
    if (consumer != null) {
      clients.add(new KafkaClientMetrics(consumer, tags));
    }
    if (producer != null) {
      clients.add(new KafkaClientMetrics(producer, tags));
    }
    clients.forEach(c -> c.bindTo(registry));
  }

  private void counter(String name, Tags tags, Supplier<EventIndexer.Stats> stats,
      ToDoubleFunction<EventIndexer.Stats> f, String help) {
    meters.add(FunctionCounter.builder(name, stats, s -> f.applyAsDouble(s.get())).tags(tags).description(help)
        .register(registry));
  }

  @Override
  public void close() {
    clients.forEach(KafkaClientMetrics::close);
    clients.clear();
    meters.forEach(registry::remove);
    meters.clear();
  }
}

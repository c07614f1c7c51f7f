package dev.vigil.indexer.impl;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.EventDocuments;
import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.OpenSearchClients;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * The Kafka → OpenSearch indexer. One thread: install the index template (retrying until OpenSearch answers), subscribe,
 * then poll → decode → bulk write (with retries) → DLQ what cannot be indexed → commit. Offsets are committed only after
 * the whole batch is written or dead-lettered; if the indexer stops or crashes before that, the batch is consumed again
 * (writes are idempotent by event id).
 */
public final class KafkaEventIndexer implements EventIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventIndexer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final IndexerConfig config;
  private final OpenSearchTransport transport;
  private final OpenSearchClient client;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final AvroSerde<VigilEvent> serde = VigilSerdes.events();
  private final Backoff backoff;
  private final Shutdown shutdown = new Shutdown();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong committedBatches = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final BulkWriter writer;
  private final DeadLetterPublisher dlq;
  private final Thread thread;

  KafkaEventIndexer(IndexerConfig config, OpenSearchTransport transport, Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer) {
    this.config = config;
    this.transport = transport;
    this.client = new OpenSearchClient(transport);
    this.consumer = consumer;
    this.producer = producer;
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
    this.writer = new BulkWriter(new OpenSearchAsyncClient(transport), backoff, config.maxAttempts(), shutdown, indexed, retries);
    this.dlq = new DeadLetterPublisher(producer, config.dlqTopic(), backoff, shutdown, deadLettered);
    this.thread = new Thread(this::run, "vigil-indexer-" + config.groupId());
    this.thread.setDaemon(false);
  }

  /** Creates the clients and starts the poll thread. */
  public static KafkaEventIndexer start(IndexerConfig config) {
    LOG.info("Starting indexer: {}", config);
    OpenSearchTransport transport = null;
    KafkaConsumer<byte[], byte[]> consumer = null;
    try {
      transport = OpenSearchClients.transport(config.openSearchUrl(), config.openSearchUsername(), config.openSearchPassword());
      consumer = new KafkaConsumer<>(config.consumerProperties());
      KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties());
      KafkaEventIndexer indexer = new KafkaEventIndexer(config, transport, consumer, producer);
      indexer.thread.start();
      return indexer;
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      }
      closeQuietly(transport);
      throw e;
    }
  }

  @Override
  public CompletionStage<Void> ready() {
    return ready;
  }

  @Override
  public Stats stats() {
    return new Stats(indexed.get(), deadLettered.get(), committedBatches.get(), retries.get());
  }

  @Override
  public boolean isRunning() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      joinQuietly(CLOSE_WAIT);
      return;
    }
    shutdown.signal();
    consumer.wakeup();
    if (Thread.currentThread() != thread) {
      joinQuietly(CLOSE_WAIT);
      if (thread.isAlive()) {
        LOG.warn("Indexer thread still busy after {}; closing the OpenSearch transport to abort it", CLOSE_WAIT);
        closeQuietly(transport);
        joinQuietly(CLOSE_WAIT);
      }
    }
    ready.completeExceptionally(new IllegalStateException("indexer closed"));
  }

  private void joinQuietly(Duration wait) {
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      installTemplate();
      consumer.subscribe(List.of(config.topic()));
      ready.complete(null);
      LOG.info("Indexer consuming {} as group {} into {}", config.topic(), config.groupId(), config.indexPattern());
      while (!shutdown.requested()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
        if (records.isEmpty()) {
          continue;
        }
        processBatch(records);
        commit(nextOffsets(records));
      }
    } catch (ClosedException | WakeupException e) {
      if (!shutdown.requested()) {
        LOG.error("Indexer stopped unexpectedly", e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Indexer failed and stopped", e);
      ready.completeExceptionally(e);
    } finally {
      ready.completeExceptionally(new IllegalStateException("indexer stopped"));
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
      } catch (RuntimeException e) {
        LOG.debug("Closing consumer", e);
      }
      try {
        producer.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        LOG.debug("Closing producer", e);
      }
      closeQuietly(transport);
      LOG.info("Indexer stopped: {}", stats());
    }
  }

  private void installTemplate() {
    int attempt = 0;
    while (true) {
      shutdown.checkOpen();
      try {
        IndexTemplate.install(client, config);
        LOG.info("Index template {} installed for {}", config.indexPrefix(), config.indexPattern());
        return;
      } catch (IOException | OpenSearchException e) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        LOG.warn("Cannot install index template {} (attempt {}), retrying in {} ms: {}", config.indexPrefix(), attempt, delay,
            e.toString());
        shutdown.sleep(delay);
      }
    }
  }

  /** Writes one batch: returns once every record is indexed or dead-lettered. */
  void processBatch(ConsumerRecords<byte[], byte[]> records) {
    List<BulkWriter.Item> items = new ArrayList<>(records.count());
    List<DeadLetter> dead = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.value() == null) {
        dead.add(new DeadLetter(record, DeadLetter.NULL_VALUE, "record has no value", null));
        continue;
      }
      VigilEvent event;
      try {
        event = serde.decode(record.value());
      } catch (RuntimeException e) {
        dead.add(new DeadLetter(record, DeadLetter.UNDECODABLE, e.getMessage(), null));
        continue;
      }
      try {
        Map<String, Object> doc = EventDocuments.toDocument(event, config.maxBodyChars());
        String index = EventDocuments.indexName(config.indexPrefix(), event.getTime());
        items.add(new BulkWriter.Item(record, EventDocuments.documentId(event), index, doc));
      } catch (RuntimeException e) {
        dead.add(new DeadLetter(record, DeadLetter.UNCONVERTIBLE, e.toString(), event.getEventId()));
      }
    }
    if (!items.isEmpty()) {
      dead.addAll(writer.write(items));
    }
    if (!dead.isEmpty()) {
      dlq.publish(dead);
    }
    LOG.debug("Batch of {} records: {} written, {} dead-lettered", records.count(), items.size(), dead.size());
  }

  static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
      ConsumerRecord<byte[], byte[]> last = list.get(list.size() - 1);
      offsets.put(tp, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
    }
    return offsets;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        // close() woke us up after the batch was fully written: still commit it, briefly
        consumer.commitSync(offsets, Duration.ofSeconds(2));
      }
      committedBatches.incrementAndGet();
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the group moved on (e.g. processing took longer than max.poll.interval.ms): the batch will be consumed again
      // by whoever owns the partitions now; documents are idempotent by event id
      LOG.warn("Offset commit failed after a rebalance; the batch will be re-consumed: {}", e.toString());
    }
  }

  private static void closeQuietly(OpenSearchTransport transport) {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing OpenSearch transport", e);
    }
  }
}

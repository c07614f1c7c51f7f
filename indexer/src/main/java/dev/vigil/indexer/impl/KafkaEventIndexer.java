package dev.vigil.indexer.impl;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.OpenSearchClients;

/**
 * The Kafka → OpenSearch indexer of events, session summaries and alerts. One thread: install the index templates, set
 * up retention and check the DLQ topic ({@link Startup}), subscribe to every topic, then poll → decode with each topic's
 * {@link DocumentMapper} ({@link BatchDecoder}) → bulk write with retries ({@link BulkWriter}) → DLQ what cannot be
 * indexed ({@link DeadLetterPublisher}) → commit ({@link ConsumerCalls}); between polls, the retention task when due.
 * Offsets are committed only after the whole batch is written or dead-lettered; if the indexer stops or crashes before
 * that, the batch is consumed again (writes are idempotent by document id, summaries versioned by offset). A partition
 * holding a record with an unknown writer schema is paused at that record.
 */
public final class KafkaEventIndexer implements EventIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventIndexer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final IndexerConfig config;
  private final OpenSearchTransport transport;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Shutdown shutdown = new Shutdown();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong superseded = new AtomicLong();
  private final AtomicLong indicesDeleted = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong committedBatches = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  /** Partitions paused at a record whose writer schema is unknown, with that record's offset. */
  private final Map<TopicPartition, Long> blocked = new ConcurrentHashMap<>();
  private final Startup startup;
  private final BatchDecoder decoder;
  private final BulkWriter writer;
  private final DeadLetterPublisher dlq;
  private final ConsumerCalls calls;
  private final Thread thread;
  private final IndexerMetrics metrics;
  private volatile Retention retention = Retention.off(Clock.systemUTC());

  KafkaEventIndexer(IndexerConfig config, OpenSearchTransport transport, Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer, TopicProbe topics) {
    this.config = config;
    this.transport = transport;
    this.consumer = consumer;
    this.producer = producer;
    Backoff backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
    this.startup = new Startup(config, new OpenSearchClient(transport), topics, backoff, shutdown, Clock.systemUTC(),
        indicesDeleted);
    this.decoder = new BatchDecoder(config);
    this.writer = new BulkWriter(new OpenSearchAsyncClient(transport), backoff, config.maxAttempts(), config.batchMaxBytes(),
        shutdown, indexed, superseded, retries);
    this.dlq = new DeadLetterPublisher(producer, config.dlqTopic(), backoff, shutdown, deadLettered);
    this.calls = new ConsumerCalls(consumer, backoff, shutdown, retries, committedBatches);
    this.metrics = new IndexerMetrics(config.groupId(), this::stats, consumer, producer);
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
      KafkaEventIndexer indexer = new KafkaEventIndexer(config, transport, consumer, producer,
          new AdminTopicProbe(config.adminProperties()));
      return indexer.begin();
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      }
      closeQuietly(transport);
      throw e;
    }
  }

  /** Starts the poll thread. */
  KafkaEventIndexer begin() {
    thread.start();
    return this;
  }

  @Override
  public CompletionStage<Void> ready() {
    return ready;
  }

  @Override
  public CompletionStage<Void> terminated() {
    return terminated;
  }

  @Override
  public Stats stats() {
    List<String> paused = new ArrayList<>();
    blocked.forEach((tp, offset) -> paused.add(tp + "@" + offset));
    paused.sort(null);
    return new Stats(indexed.get(), superseded.get(), deadLettered.get(), committedBatches.get(), retries.get(),
        indicesDeleted.get(), retention.describe(), paused);
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
    Throwable failure = null;
    try {
      retention = startup.run();
      consumer.subscribe(config.topics(), new Rebalance());
      ready.complete(null);
      LOG.info("Indexer consuming {} as group {} into {}{}{}", config.topics(), config.groupId(), config.indexPattern(),
          config.sessionsEnabled() ? ", " + config.sessionsIndex() : "", config.alertsEnabled() ? ", " + config.alertsIndex() : "");
      while (!shutdown.requested()) {
        retention.runIfDue();
        ConsumerRecords<byte[], byte[]> records = calls.poll(config.pollTimeout());
        if (!records.isEmpty()) {
          processBatch(records);
        }
      }
    } catch (ClosedException | WakeupException e) {
      if (!shutdown.requested()) {
        failure = new IllegalStateException("indexer interrupted without close()", e);
      }
    } catch (RuntimeException | Error e) {
      if (shutdown.requested()) {
        LOG.warn("Indexer failed while closing: {}", e.toString());
      } else {
        failure = e;
      }
    } finally {
      if (failure != null) {
        LOG.error("Indexer stopped on a fatal error; offsets after the last committed batch are not committed: {}",
            failure.toString(), failure);
        ready.completeExceptionally(failure);
      } else {
        ready.completeExceptionally(new IllegalStateException("indexer closed"));
      }
      closeClients();
      LOG.info("Indexer stopped: {}", stats());
      if (failure == null) {
        terminated.complete(null);
      } else {
        terminated.completeExceptionally(failure);
      }
    }
  }

  /** Writes one batch, commits it, pauses partitions blocked by an unknown writer schema. */
  void processBatch(ConsumerRecords<byte[], byte[]> records) {
    BatchDecoder.Batch batch = decoder.decode(records);
    List<DeadLetter> dead = batch.dead();
    if (!batch.items().isEmpty()) {
      dead.addAll(writer.write(batch.items()));
    }
    if (!dead.isEmpty()) {
      dlq.publish(dead);
    }
    calls.commit(batch.offsets());
    batch.blocked().forEach(this::block);
    LOG.debug("Batch of {} records: {} written, {} dead-lettered, {} partitions blocked", records.count(), batch.items().size(),
        dead.size(), batch.blocked().size());
  }

  private void block(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
    if (consumer.assignment().contains(tp)) {
      consumer.seek(tp, record.offset());
      consumer.pause(List.of(tp));
    }
    blocked.put(tp, record.offset());
    LOG.error("Record {}@{} was written with a schema this indexer does not know: its producer (the proxy or the stream "
        + "processors) was upgraded before the "
        + "indexer. Partition {} is paused at offset {}; nothing from there on is indexed, dead-lettered or committed "
        + "(other partitions go on). Fix: upgrade vigil-indexer to the producer's version; it resumes at this offset.",
        tp, record.offset(), tp, record.offset());
  }

  /** Partitions taken away lose their pause; if they come back, the unknown record is met (and paused on) again. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(blocked::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // nothing to do: positions come from the committed offsets
    }
  }

  private void closeClients() {
    metrics.close();
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

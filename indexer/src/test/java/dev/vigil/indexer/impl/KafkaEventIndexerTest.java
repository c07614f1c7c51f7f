package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.indexer.TestEvents;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/** The poll loop with a mock consumer and producer and a stub OpenSearch: faults, unknown schemas, start-up checks. */
class KafkaEventIndexerTest {

  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);

  /** A mock consumer whose commits can time out, and whose empty polls take a little time (no busy loop). */
  static final class FaultyConsumer extends MockConsumer<byte[], byte[]> {
    final AtomicInteger commitTimeouts = new AtomicInteger();

    FaultyConsumer() {
      super("earliest");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
      if (records.isEmpty()) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (commitTimeouts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new TimeoutException("injected commit timeout");
      }
      super.commitSync(offsets);
    }
  }

  /** The DLQ topic probe: answers {@code exists}, after failing {@code unreachableFor} times as if Kafka were away. */
  static final class Probe implements TopicProbe {
    final boolean exists;
    final AtomicInteger unreachableFor;

    Probe(boolean exists, int unreachableFor) {
      this.exists = exists;
      this.unreachableFor = new AtomicInteger(unreachableFor);
    }

    @Override
    public boolean exists(String topic, Shutdown shutdown) {
      if (unreachableFor.getAndDecrement() > 0) {
        throw new TimeoutException("injected: broker away");
      }
      return exists;
    }

    @Override
    public void close() {}
  }

  private StubOpenSearch stub;
  private FaultyConsumer consumer;
  private MockProducer<byte[], byte[]> producer;
  private KafkaEventIndexer indexer;

  @BeforeEach
  void setUp() throws Exception {
    stub = new StubOpenSearch();
    consumer = new FaultyConsumer();
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() {
    if (indexer != null) {
      indexer.close();
    }
    stub.close();
  }

  private KafkaEventIndexer start(TopicProbe probe) {
    IndexerConfig config = IndexerConfig.from(Settings.of(Map.of(
        "vigil.indexer.opensearch.url", stub.url(),
        "vigil.indexer.topic", "events",
        "vigil.indexer.dlq-topic", "dlq",
        "vigil.indexer.poll-timeout", "10ms",
        "vigil.indexer.retry.initial-backoff", "1ms",
        "vigil.indexer.retry.max-backoff", "5ms",
        "vigil.indexer.kafka.consumer.bootstrap.servers", "127.0.0.1:1")));
    indexer = new KafkaEventIndexer(config, stub.transport(), consumer, producer, probe).begin();
    return indexer;
  }

  private static VigilEvent event(long seq) {
    return TestEvents.simple("s-1", seq, TestEvents.T0, "alice", "get", "pods", "default", "p" + seq, null);
  }

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, byte[] value) {
    return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, "s-1".getBytes(StandardCharsets.UTF_8), value);
  }

  /** A record as a newer proxy writes it: a valid single-object header with a schema fingerprint this build lacks. */
  private static byte[] unknownSchema(VigilEvent e) {
    byte[] bytes = VigilSerdes.events().encode(e);
    for (int i = 2; i < 10; i++) {
      bytes[i] ^= (byte) 0x5A;
    }
    return bytes;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private long committed(TopicPartition tp) {
    OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
    return o == null ? -1 : o.offset();
  }

  @Test
  void shouldPauseAPartitionAtAnUnknownWriterSchemaAndRetryRetriableKafkaErrors() throws Exception {
    VigilEvent good0 = event(1);
    VigilEvent newer = event(2);
    VigilEvent after = event(3);
    VigilEvent other = event(4);
    consumer.commitTimeouts.set(2);
    consumer.schedulePollTask(() -> consumer.setPollException(new TimeoutException("injected poll timeout")));
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(P0, P1));
      consumer.addRecord(record(P0, 0, VigilSerdes.events().encode(good0)));
      consumer.addRecord(record(P0, 1, unknownSchema(newer)));
      consumer.addRecord(record(P0, 2, VigilSerdes.events().encode(after)));
      consumer.addRecord(record(P1, 0, VigilSerdes.events().encode(other)));
      consumer.addRecord(record(P1, 1, "not avro".getBytes(StandardCharsets.UTF_8)));
    });

    KafkaEventIndexer indexer = start(new Probe(true, 2));
    indexer.ready().toCompletableFuture().get(20, TimeUnit.SECONDS);

    await("both partitions committed", () -> committed(P0) == 1 && committed(P1) == 2);
    assertThat(stub.stored).containsExactlyInAnyOrder(good0.getEventId(), other.getEventId());
    assertThat(producer.history()).as("only the corrupt record is dead-lettered").singleElement()
        .satisfies(r -> assertThat(new String(r.headers().lastHeader("vigil.dlq.reason-code").value(), StandardCharsets.UTF_8))
            .isEqualTo("undecodable"));
    assertThat(consumer.paused()).containsExactly(P0);
    assertThat(indexer.stats().blockedPartitions()).containsExactly("events-0@1");
    assertThat(indexer.stats().retries()).as("1 poll + 2 commit retries").isGreaterThanOrEqualTo(3);

    // more polls change nothing: the partition stays paused, nothing after offset 1 is committed
    Thread.sleep(200);
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(stub.stored).doesNotContain(after.getEventId(), newer.getEventId());
    assertThat(indexer.isRunning()).isTrue();
    assertThat(indexer.terminated().toCompletableFuture()).isNotDone();

    indexer.close();
    indexer.terminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(indexer.isRunning()).isFalse();
  }

  @Test
  void shouldTerminateExceptionallyOnAFatalKafkaError() throws Exception {
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
    consumer.schedulePollTask(() -> consumer.setPollException(new AuthorizationException("injected: not allowed")));

    KafkaEventIndexer indexer = start(new Probe(true, 0));
    indexer.ready().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThatThrownBy(() -> indexer.terminated().toCompletableFuture().get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
    await("the poll thread ended", () -> !indexer.isRunning());
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void shouldRefuseToStartWithoutTheDlqTopic() {
    KafkaEventIndexer indexer = start(new Probe(false, 1));

    assertThatThrownBy(() -> indexer.ready().toCompletableFuture().get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IndexerFatalException.class)
        .hasMessageContaining("'dlq' does not exist").hasMessageContaining("vigil.indexer.dlq-topic");
    assertThatThrownBy(() -> indexer.terminated().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IndexerFatalException.class);
    assertThat(consumer.subscription()).isEmpty();
  }
}

package dev.vigil.indexer.impl;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code poll} and {@code commitSync} for the poll thread: retriable Kafka errors (timeouts, coordinator moves...) are
 * retried with the indexer's backoff until they succeed or the indexer closes; a commit refused because the group
 * rebalanced is logged and dropped (the batch is consumed again, writes are idempotent); any other Kafka error
 * propagates and stops the indexer (see {@link dev.vigil.indexer.EventIndexer#terminated()}).
 */
final class ConsumerCalls {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerCalls.class);
  private static final Duration CLOSING_COMMIT_TIMEOUT = Duration.ofSeconds(2);

  private final Consumer<byte[], byte[]> consumer;
  private final Backoff backoff;
  private final Shutdown shutdown;
  private final AtomicLong retries;
  private final AtomicLong committedBatches;

  ConsumerCalls(Consumer<byte[], byte[]> consumer, Backoff backoff, Shutdown shutdown, AtomicLong retries,
      AtomicLong committedBatches) {
    this.consumer = consumer;
    this.backoff = backoff;
    this.shutdown = shutdown;
    this.retries = retries;
    this.committedBatches = committedBatches;
  }

  /** {@code consumer.poll}, retrying retriable errors. A {@link WakeupException} (close) propagates. */
  ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    int attempt = 0;
    while (true) {
      try {
        return consumer.poll(timeout);
      } catch (RetriableException e) {
        attempt++;
        pause("Poll", attempt, e);
      }
    }
  }

  /**
   * Commits {@code offsets}, retrying retriable errors. When woken up by close() after the batch was fully written it
   * still commits, briefly; when close() interrupts a retry it tries once more briefly, then gives up (the batch is
   * consumed again).
   */
  void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    int attempt = 0;
    while (true) {
      try {
        consumer.commitSync(offsets);
        committedBatches.incrementAndGet();
        return;
      } catch (WakeupException e) {
        commitWhileClosing(offsets);
        return;
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // the group moved on (e.g. processing took longer than max.poll.interval.ms): the batch will be consumed again
        // by whoever owns the partitions now; documents are idempotent by event id
        LOG.warn("Offset commit failed after a rebalance; the batch will be re-consumed: {}", e.toString());
        return;
      } catch (RetriableException e) {
        attempt++;
        try {
          pause("Offset commit", attempt, e);
        } catch (ClosedException closing) {
          commitWhileClosing(offsets);
          throw closing;
        }
      }
    }
  }

  private void pause(String what, int attempt, RetriableException e) {
    retries.incrementAndGet();
    long delay = backoff.delayMillis(attempt);
    String msg = "{} failed with a retriable error (attempt {}), retrying in {} ms: {}";
    if (attempt % 10 == 0) {
      LOG.error(msg, what, attempt, delay, e.toString());
    } else {
      LOG.warn(msg, what, attempt, delay, e.toString());
    }
    shutdown.sleep(delay);
  }

  private void commitWhileClosing(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets, CLOSING_COMMIT_TIMEOUT);
      committedBatches.incrementAndGet();
    } catch (KafkaException e) {
      LOG.warn("Offset commit while closing failed; the batch will be re-consumed: {}", e.toString());
    }
  }
}

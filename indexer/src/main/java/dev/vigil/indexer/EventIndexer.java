package dev.vigil.indexer;

import java.util.concurrent.CompletionStage;

import dev.vigil.indexer.impl.KafkaEventIndexer;

/**
 * Consumes {@code vigil.events.v1} and writes every event into OpenSearch (one document per event id, daily indices
 * {@code <prefix>-YYYY.MM.DD}). Records that cannot be decoded or indexed go to the DLQ topic; offsets are committed
 * only once every record of a batch is either indexed or in the DLQ.
 */
public interface EventIndexer extends AutoCloseable {

  /**
   * Starts an indexer with its own OpenSearch client and Kafka clients, polling on its own thread. Returns at once;
   * {@link #ready()} completes once the index template is installed and the consumer is subscribed.
   */
  static EventIndexer start(IndexerConfig config) {
    return KafkaEventIndexer.start(config);
  }

  /** Completes when the index template is installed and consumption started; fails if the indexer cannot start. */
  CompletionStage<Void> ready();

  /** Counters since start. */
  Stats stats();

  /** Whether the poll thread is still running. */
  boolean isRunning();

  /** Stops polling (waking the consumer up), commits what was fully written, and closes every client. Idempotent. */
  @Override
  void close();

  /**
   * Counters since start.
   *
   * @param indexed documents written (including re-writes of already indexed events)
   * @param deadLettered records sent to the DLQ
   * @param committedBatches batches whose offsets were committed
   * @param retries bulk requests or items retried after a retryable failure
   */
  record Stats(long indexed, long deadLettered, long committedBatches, long retries) {}
}

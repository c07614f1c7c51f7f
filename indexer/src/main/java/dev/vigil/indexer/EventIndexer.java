package dev.vigil.indexer;

import java.util.List;
import java.util.concurrent.CompletionStage;

import dev.vigil.indexer.impl.KafkaEventIndexer;

/**
 * Consumes {@code vigil.events.v1} and writes every event into OpenSearch (one document per event id, daily indices
 * {@code <prefix>-YYYY.MM.DD}), and — same pipeline, same guarantees — {@code vigil.sessions.v1} into
 * {@code vigil-sessions} (one document per session id, the newest summary wins) and {@code vigil.alerts.v1} into
 * {@code vigil-alerts} (one document per alert id). Records that cannot be decoded or indexed go to the DLQ topic;
 * offsets are committed only once every record of a batch is either indexed or in the DLQ. Old daily event indices are
 * removed by an ISM policy or by the indexer's retention task.
 */
public interface EventIndexer extends AutoCloseable {

  /**
   * Starts an indexer with its own OpenSearch client and Kafka clients, polling on its own thread. Returns at once;
   * {@link #ready()} completes once the index template is installed and the consumer is subscribed.
   */
  static EventIndexer start(IndexerConfig config) {
    return KafkaEventIndexer.start(config);
  }

  /**
   * Completes when the index templates are installed, retention is set up, the DLQ topic is known to exist and
   * consumption started; fails if
   * the indexer cannot start (e.g. the DLQ topic is missing) or is closed first.
   */
  CompletionStage<Void> ready();

  /**
   * Completes once the poll thread has stopped and every client is closed: normally after {@link #close()},
   * exceptionally with the cause when the indexer stopped on its own because of a fatal error (logged at ERROR), such as
   * a non-retriable Kafka error, a DLQ record Kafka refuses, or OpenSearch refusing the credentials. A service should
   * exit with a non-zero status when this completes exceptionally.
   */
  CompletionStage<Void> terminated();

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
   * @param indexed documents written (including re-writes of already indexed events, alerts and summaries)
   * @param superseded session summaries not written because the same or a newer summary of that session (a higher
   *     Kafka offset) is already stored
   * @param deadLettered records sent to the DLQ
   * @param committedBatches batches whose offsets were committed
   * @param retries bulk requests, items, commits or polls retried after a retryable failure
   * @param indicesDeleted daily event indices deleted by the retention task (not by ISM)
   * @param retention the retention mechanism: {@code ism}, {@code task} or {@code off} ({@code off} until started)
   * @param blockedPartitions partitions paused because a record's writer schema is unknown to this indexer (the
   *     producer is newer: upgrade the indexer), as {@code topic-partition@offset} of the first such record; nothing
   *     from that offset on is indexed or committed
   */
  record Stats(long indexed, long superseded, long deadLettered, long committedBatches, long retries, long indicesDeleted,
      String retention, List<String> blockedPartitions) {

    public Stats {
      blockedPartitions = List.copyOf(blockedPartitions);
    }
  }
}

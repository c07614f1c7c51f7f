package dev.vigil.streams.notify;

import java.util.List;

/**
 * Counters since the notifier started; a (webhook, alert) pair counts once in one of the first four.
 *
 * @param delivered requests answered with 2xx
 * @param duplicatesSkipped alerts not sent because the webhook already received their id
 * @param filtered alerts a webhook's {@code min-severity} or {@code types} excluded
 * @param gaveUp pairs given up (rejected, retries exhausted, webhook unavailable) plus undecodable records
 * @param retries attempts after a retryable failure
 * @param deadLettered records acknowledged by the dead-letter topic
 * @param committedBatches polled batches whose offsets were committed
 * @param blockedPartitions partitions paused at an alert written with an unknown (newer) schema, as
 *     {@code topic-partition@offset}
 */
public record NotifierStats(long delivered, long duplicatesSkipped, long filtered, long gaveUp, long retries,
    long deadLettered, long committedBatches, List<String> blockedPartitions) {

  public NotifierStats {
    blockedPartitions = List.copyOf(blockedPartitions);
  }
}

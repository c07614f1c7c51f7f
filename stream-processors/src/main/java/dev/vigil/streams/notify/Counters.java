package dev.vigil.streams.notify;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The notifier's mutable counters, shared by the poll thread and the delivery threads. */
final class Counters {

  final AtomicLong delivered = new AtomicLong();
  final AtomicLong duplicatesSkipped = new AtomicLong();
  final AtomicLong filtered = new AtomicLong();
  final AtomicLong gaveUp = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong committedBatches = new AtomicLong();

  NotifierStats snapshot(List<String> blockedPartitions) {
    return new NotifierStats(delivered.get(), duplicatesSkipped.get(), filtered.get(), gaveUp.get(), retries.get(),
        deadLettered.get(), committedBatches.get(), blockedPartitions);
  }

  @Override
  public String toString() {
    return snapshot(List.of()).toString();
  }
}

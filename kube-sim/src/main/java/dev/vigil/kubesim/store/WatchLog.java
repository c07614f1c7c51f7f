package dev.vigil.kubesim.store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bounded history of store events plus live subscribers. Guarded by the store's lock. */
final class WatchLog {

  private static final Logger LOG = LoggerFactory.getLogger(WatchLog.class);

  private final int capacity;
  private final Deque<WatchEvent> history = new ArrayDeque<>();
  private final List<Consumer<WatchEvent>> subscribers = new CopyOnWriteArrayList<>();
  private long compactedThrough;

  WatchLog(int capacity) {
    this.capacity = capacity;
  }

  void publish(WatchEvent event) {
    history.addLast(event);
    while (history.size() > capacity) {
      compactedThrough = history.removeFirst().resourceVersion();
    }
    for (Consumer<WatchEvent> s : subscribers) {
      try {
        s.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("kube-sim watch subscriber failed", e);
      }
    }
  }

  /** Delivers the retained events after {@code from}; 410 Expired if some were already dropped. */
  void replay(long from, Consumer<WatchEvent> consumer) {
    if (from < compactedThrough) {
      throw new StatusException(410, "Expired",
          "too old resource version: " + from + " (" + compactedThrough + ")");
    }
    for (WatchEvent e : history) {
      if (e.resourceVersion() > from) {
        consumer.accept(e);
      }
    }
  }

  Runnable subscribe(Consumer<WatchEvent> consumer) {
    subscribers.add(consumer);
    return () -> subscribers.remove(consumer);
  }
}

package dev.vigil.streams.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alert ids a webhook has received, least recently seen evicted beyond {@code maxEntries}: a Streams restart
 * re-emits alerts with their ids, and they are not sent twice while their id is remembered. Memory only, so a
 * restarted notifier (or a second instance after a rebalance) may still send an id again: receivers dedupe by
 * {@code X-Vigil-Alert-Id} too. Thread-safe.
 */
final class DeliveredIds {

  private final int maxEntries;
  private final Map<String, Boolean> ids;

  DeliveredIds(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.ids = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > DeliveredIds.this.maxEntries;
      }
    };
  }

  /** Whether {@code alertId} was delivered (and is still remembered); a hit makes it the most recently seen. */
  synchronized boolean contains(String alertId) {
    return ids.get(alertId) != null;
  }

  synchronized void add(String alertId) {
    ids.put(alertId, Boolean.TRUE);
  }

  synchronized int size() {
    return ids.size();
  }
}

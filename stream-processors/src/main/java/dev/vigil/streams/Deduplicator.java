package dev.vigil.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.streams.session.RawEvent;
import dev.vigil.streams.session.SessionInput;

/**
 * Marks events whose id was seen before: a persistent, changelogged store maps event id → wall-clock time of first
 * sight; a wall-clock punctuator forgets ids older than the retention. Every event is forwarded, as
 * {@link SessionInput#event} or {@link SessionInput#duplicate} (the sessionizer counts duplicates; the detectors see
 * only new events). Events are keyed by session key, so all copies of an event reach the same task.
 */
final class Deduplicator implements FixedKeyProcessor<String, RawEvent, SessionInput> {

  /** The dedupe store: event id → first seen (epoch millis, wall clock). */
  static final String STORE = "vigil-dedupe-event-ids";

  private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);

  private final Duration retention;
  private final Duration purgeInterval;
  private FixedKeyProcessorContext<String, SessionInput> context;
  private KeyValueStore<String, Long> store;

  Deduplicator(Duration retention, Duration purgeInterval) {
    this.retention = retention;
    this.purgeInterval = purgeInterval;
  }

  static StoreBuilder<KeyValueStore<String, Long>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long())
        .withLoggingEnabled(java.util.Map.of())
        .withCachingDisabled();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, SessionInput> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
  }

  @Override
  public void process(FixedKeyRecord<String, RawEvent> record) {
    String id = record.value().event().getEventId();
    if (store.get(id) != null) {
      LOG.debug("Event {} of session {} seen before: duplicate", id, record.key());
      context.forward(record.withValue(SessionInput.duplicate(record.value())));
      return;
    }
    store.put(id, context.currentSystemTimeMs());
    context.forward(record.withValue(SessionInput.event(record.value())));
  }

  private void purge(long now) {
    long before = now - retention.toMillis();
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        if (kv.value < before) {
          expired.add(kv.key);
        }
      }
    }
    expired.forEach(store::delete);
    if (!expired.isEmpty()) {
      LOG.debug("Forgot {} event ids first seen more than {} ago", expired.size(), retention);
    }
  }
}

package dev.vigil.streams.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.SessionSummary;

/**
 * Assembles sessions: one open session per session key in a persistent, changelogged store. Reads new events,
 * duplicates and alerts keyed by session key; emits OPEN summaries of changed sessions every update interval (wall
 * clock), a CLOSED signed summary when a session ends (an event after last + gap, or last + gap + grace passed by
 * the wall clock), and every alert stamped with its session id. See stream-processors/README.md, "Sessions".
 */
public final class Sessionizer implements Processor<String, SessionInput, String, SessionOutput> {

  /** The open-session store: session key → {@link SessionState}. */
  public static final String STORE = "vigil-open-sessions";

  private static final Logger LOG = LoggerFactory.getLogger(Sessionizer.class);

  private final SessionSettings settings;
  private final DigestSigner signer;
  private ProcessorContext<String, SessionOutput> context;
  private KeyValueStore<String, SessionState> store;

  public Sessionizer(SessionSettings settings, DigestSigner signer) {
    this.settings = settings;
    this.signer = signer;
  }

  /** The store to add to the topology (RocksDB, changelogged, no cache: every change is in the changelog). */
  public static StoreBuilder<KeyValueStore<String, SessionState>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), new SessionStateSerde())
        .withLoggingEnabled(java.util.Map.of())
        .withCachingDisabled();
  }

  @Override
  public void init(ProcessorContext<String, SessionOutput> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    context.schedule(settings.updateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<String, SessionInput> record) {
    String key = record.key();
    SessionInput in = record.value();
    SessionState state = store.get(key);
    if (in.alert() != null) {
      if (state == null) {
        state = SessionState.openWith(key, in.alert());
        LOG.debug("Alert {} opened session {}", in.alert().getAlertId(), state.sessionId());
      }
      context.forward(record.withValue(SessionOutput.alert(state.stamp(in.alert()))));
    } else if (in.duplicate()) {
      if (state == null) {
        LOG.debug("Duplicate event {} of key {} without an open session: not counted", in.event().event().getEventId(), key);
        return;
      }
      state.countDuplicate();
    } else {
      Instant time = in.event().event().getTime();
      if (state != null && time.isAfter(state.lastEventTime().plus(settings.inactivityGap()))) {
        close(state, record.timestamp(), "gap");
        state = null;
      }
      if (state == null) {
        state = SessionState.openWith(in.event().event());
      }
      state.append(in.event(), settings.maxCountKeys());
    }
    store.put(key, state);
  }

  /** Emits changed open sessions and closes those whose last event is older than gap + grace. */
  void punctuate(long now) {
    long expiredBefore = now - settings.lifetime().toMillis();
    List<KeyValue<String, SessionState>> changed = new ArrayList<>();
    try (KeyValueIterator<String, SessionState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, SessionState> kv = it.next();
        if (kv.value.lastEventTime().toEpochMilli() < expiredBefore || kv.value.dirty()) {
          changed.add(kv);
        }
      }
    }
    for (KeyValue<String, SessionState> kv : changed) {
      SessionState state = kv.value;
      if (state.lastEventTime().toEpochMilli() < expiredBefore) {
        close(state, now, "inactive");
        store.delete(kv.key);
      } else {
        emit(state.openSummary(), now);
        state.markEmitted();
        store.put(kv.key, state);
      }
    }
  }

  private void close(SessionState state, long timestamp, String why) {
    SessionSummary closed = state.closedSummary(signer);
    LOG.debug("Closing session {} ({}): {} events", closed.getSessionId(), why, closed.getEventCount());
    emit(closed, timestamp);
  }

  private void emit(SessionSummary summary, long timestamp) {
    context.forward(new Record<>(summary.getSessionId(), SessionOutput.summary(summary), timestamp));
  }
}

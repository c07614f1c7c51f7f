package dev.vigil.proxy.impl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import dev.vigil.schema.GapReason;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.VigilEvent;

/**
 * What a best-effort gateway could not record, per session, until a {@link RecordingGap} event reporting it is
 * acknowledged by Kafka. {@link KafkaRecordingSink} reports every event dropped by its full queue and every event the
 * producer failed ({@link #lost}); once Kafka acknowledges again it {@link #detach detaches} the losses, publishes one
 * gap event per session ({@link #gapEvent}) and, per gap, either forgets the loss ({@link #acknowledged}) or merges it
 * back ({@link #restore}) to be published later with whatever was lost meanwhile. A count is never dropped while the
 * gateway runs.
 *
 * <p>Bounded: at most {@code maxSessions} sessions are tracked; losses of further sessions are aggregated under the
 * session key {@code vigil-gateway/<gatewayId>}. At most {@value SessionLoss#MAX_IDS} request ids per session and
 * {@value #MAX_IDS_HELD} in all are kept; the lost events of calls beyond are counted as {@code requestIdsOmitted}.
 * Thread-safe.
 */
final class GapTracker {

  static final int DEFAULT_MAX_SESSIONS = 10_000;
  static final int MAX_IDS_HELD = 100_000;
  static final String AGGREGATE_PREFIX = "vigil-gateway/";

  private final String gatewayId;
  private final String aggregateKey;
  private final int maxSessions;
  private final ToLongFunction<String> sequencer;
  private final LongSupplier wallClock;
  private final Map<String, SessionLoss> losses = new LinkedHashMap<>();
  private int idsHeld;
  private volatile int tracked;
  private long eventsLost;
  private long eventsUnreported;
  private long gapsRecorded;

  /**
   * @param sequencer the next sequence number of a session (the gateway's {@code SessionKeys::next}), for the gap
   *     events' envelopes
   */
  GapTracker(String gatewayId, int maxSessions, ToLongFunction<String> sequencer, LongSupplier wallClock) {
    this.gatewayId = gatewayId;
    this.aggregateKey = AGGREGATE_PREFIX + gatewayId;
    this.maxSessions = maxSessions;
    this.sequencer = sequencer;
    this.wallClock = wallClock;
  }

  /** Session key of the gap aggregating the sessions beyond the bound. */
  String aggregateKey() {
    return aggregateKey;
  }

  /** Counts {@code event} ({@code bytes} serialized) as lost for {@code reason}. */
  synchronized void lost(VigilEvent event, long bytes, GapReason reason) {
    String key = event.getSessionKey();
    SessionLoss loss = losses.get(key);
    if (loss == null && full()) {
      key = aggregateKey;
      loss = losses.get(key);
    }
    if (loss == null) {
      loss = new SessionLoss(key, event);
      losses.put(key, loss);
    }
    idsHeld += loss.add(event, bytes, reason, idsHeld < MAX_IDS_HELD);
    eventsLost++;
    eventsUnreported++;
    tracked = losses.size();
  }

  /** Whether losses wait to be published (not counting those detached for a gap in flight). */
  boolean hasPending() {
    return tracked > 0;
  }

  /** Takes at most {@code max} sessions' losses out, oldest first, to publish them; each must come back to
   * {@link #acknowledged} or {@link #restore}. */
  synchronized List<SessionLoss> detach(int max) {
    List<SessionLoss> out = new ArrayList<>(Math.min(max, losses.size()));
    Iterator<SessionLoss> it = losses.values().iterator();
    while (it.hasNext() && out.size() < max) {
      SessionLoss loss = it.next();
      idsHeld -= loss.idCount();
      out.add(loss);
      it.remove();
    }
    tracked = losses.size();
    return out;
  }

  /** The gap event of {@code loss} was acknowledged: its events are reported. */
  synchronized void acknowledged(SessionLoss loss) {
    gapsRecorded++;
    eventsUnreported -= loss.events();
  }

  /** The gap event of {@code loss} was not acknowledged: keep it, merged with what the session lost meanwhile. */
  synchronized void restore(SessionLoss loss) {
    String key = loss.key();
    SessionLoss current = losses.get(key);
    if (current == null && !key.equals(aggregateKey) && full()) {
      key = aggregateKey;
      current = losses.get(key);
    }
    loss.rekey(key);
    if (current != null) {
      idsHeld -= current.idCount();
      loss.absorb(current);
      losses.remove(key);
    }
    idsHeld += loss.limitIds(MAX_IDS_HELD - idsHeld);
    losses.put(key, loss);
    tracked = losses.size();
  }

  /** The gap event reporting {@code loss}: envelope of its first lost event, a fresh sequence of its session. */
  VigilEvent gapEvent(SessionLoss loss) {
    return VigilEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionKey(loss.key())
        .setSequence(sequencer.applyAsLong(loss.key()))
        .setTime(Instant.ofEpochMilli(wallClock.getAsLong()))
        .setChannel(loss.channel())
        .setIdentity(loss.identity())
        .setGatewayId(gatewayId)
        .setRequest(loss.request())
        .setPayload(loss.toPayload())
        .build();
  }

  /** Events lost since start. */
  synchronized long eventsLost() {
    return eventsLost;
  }

  /** Lost events not yet reported by an acknowledged gap event (including those in a gap in flight). */
  synchronized long eventsUnreported() {
    return eventsUnreported;
  }

  /** Gap events acknowledged by Kafka since start. */
  synchronized long gapsRecorded() {
    return gapsRecorded;
  }

  /** Sessions whose losses wait to be published. */
  int sessionsTracked() {
    return tracked;
  }

  private boolean full() {
    int sessions = losses.containsKey(aggregateKey) ? losses.size() - 1 : losses.size();
    return sessions >= maxSessions;
  }
}

package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Direction;
import dev.vigil.schema.GapReason;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;

/** Per-session loss accounting: counts, envelope of the first lost event, merge on a failed gap, bounds. */
class GapTrackerTest {

  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private final SessionKeys sessions = new SessionKeys(100, Duration.ofHours(1), System::nanoTime);
  private final EventFactory factory = new EventFactory("gw", sessions, clock::get);

  static Exchange call(String session, String user) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = session;
    ex.caller = new CallerIdentity("sub-" + user, user, List.of("agents"), "https://issuer");
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/pods", null, null, null, null);
    return ex;
  }

  VigilEvent request(Exchange ex) {
    clock.addAndGet(10);
    return factory.requestReceived(ex, Map.of(), null, EventFactory.allow());
  }

  VigilEvent frame(Exchange ex) {
    clock.addAndGet(10);
    return factory.streamFrame(ex, StreamKind.WATCH, 0, Direction.TO_CLIENT, null, "ADDED",
        dev.vigil.schema.Body.newBuilder().setEncoding(dev.vigil.schema.BodyEncoding.TEXT).setContent("{}").setOriginalSize(2).build());
  }

  VigilEvent response(Exchange ex) {
    clock.addAndGet(10);
    return factory.responseCompleted(ex, 200, Map.of(), null, 1, 2);
  }

  private GapTracker tracker(int maxSessions) {
    return new GapTracker("gw-1", maxSessions, sessions::next, () -> 1_800_000_000_000L);
  }

  @Test
  void shouldCountLossesPerSessionAndBuildTheGapFromTheFirstLostEvent() {
    GapTracker tracker = tracker(10);
    Exchange a = call("alice", "alice");
    Exchange a2 = call("alice", "alice");
    Exchange b = call("bob/task-1", "bob");
    VigilEvent first = request(a);
    tracker.lost(first, 100, GapReason.QUEUE_FULL);
    tracker.lost(frame(a), 50, GapReason.QUEUE_FULL);
    VigilEvent last = response(a2);
    tracker.lost(last, 30, GapReason.SEND_FAILED);
    tracker.lost(request(b), 70, GapReason.SEND_FAILED);

    assertThat(tracker.eventsLost()).isEqualTo(4);
    assertThat(tracker.eventsUnreported()).isEqualTo(4);
    List<SessionLoss> detached = tracker.detach(100);
    assertThat(detached).extracting(SessionLoss::key).containsExactly("alice", "bob/task-1");
    assertThat(tracker.hasPending()).isFalse();

    VigilEvent gap = tracker.gapEvent(detached.get(0));
    assertThat(gap.getSessionKey()).isEqualTo("alice");
    assertThat(gap.getGatewayId()).isEqualTo("gw-1");
    assertThat(gap.getIdentity()).isEqualTo(first.getIdentity());
    assertThat(gap.getChannel()).isEqualTo(first.getChannel());
    assertThat(gap.getRequest()).isEqualTo(first.getRequest());
    assertThat(gap.getTime()).isEqualTo(Instant.ofEpochMilli(1_800_000_000_000L));
    assertThat(gap.getSequence()).isGreaterThan(last.getSequence()); // a fresh number of the session
    RecordingGap g = (RecordingGap) gap.getPayload();
    assertThat(g.getEventsLost()).isEqualTo(3);
    assertThat(g.getBytesLost()).isEqualTo(180);
    assertThat(g.getRequestsLost()).isEqualTo(1);
    assertThat(g.getFramesLost()).isEqualTo(1);
    assertThat(g.getTerminalsLost()).isEqualTo(1);
    assertThat(g.getReason()).isEqualTo(GapReason.MIXED);
    assertThat(g.getFirstLostAt()).isEqualTo(first.getTime());
    assertThat(g.getLastLostAt()).isEqualTo(last.getTime());
    assertThat(g.getFirstLostSequence()).isEqualTo(first.getSequence());
    assertThat(g.getLastLostSequence()).isEqualTo(last.getSequence());
    assertThat(g.getLostRequestIds()).containsExactly(a.requestId, a2.requestId);
    assertThat(g.getRequestIdsOmitted()).isZero();
    assertThat(((RecordingGap) tracker.gapEvent(detached.get(1)).getPayload()).getReason()).isEqualTo(GapReason.SEND_FAILED);

    tracker.acknowledged(detached.get(0));
    assertThat(tracker.eventsUnreported()).isEqualTo(1);
    assertThat(tracker.gapsRecorded()).isEqualTo(1);
  }

  @Test
  void shouldMergeAGapThatFailedWithWhatTheSessionLostMeanwhile() {
    GapTracker tracker = tracker(10);
    Exchange a = call("alice", "alice");
    VigilEvent first = request(a);
    tracker.lost(first, 100, GapReason.SEND_FAILED);
    List<SessionLoss> inFlight = tracker.detach(100);
    Exchange later = call("alice", "alice");
    tracker.lost(request(later), 40, GapReason.QUEUE_FULL);
    tracker.lost(response(a), 10, GapReason.QUEUE_FULL);

    tracker.restore(inFlight.get(0));

    assertThat(tracker.eventsUnreported()).isEqualTo(3);
    List<SessionLoss> again = tracker.detach(100);
    assertThat(again).hasSize(1);
    VigilEvent gap = tracker.gapEvent(again.get(0));
    assertThat(gap.getRequest()).isEqualTo(first.getRequest());
    RecordingGap g = (RecordingGap) gap.getPayload();
    assertThat(g.getEventsLost()).isEqualTo(3);
    assertThat(g.getBytesLost()).isEqualTo(150);
    assertThat(g.getRequestsLost()).isEqualTo(2);
    assertThat(g.getTerminalsLost()).isEqualTo(1);
    assertThat(g.getReason()).isEqualTo(GapReason.MIXED);
    assertThat(g.getLostRequestIds()).containsExactly(a.requestId, later.requestId);
    tracker.acknowledged(again.get(0));
    assertThat(tracker.eventsUnreported()).isZero();
    assertThat(tracker.eventsLost()).isEqualTo(3);
  }

  @Test
  void shouldAggregateSessionsBeyondTheBoundUnderTheGatewayKey() {
    GapTracker tracker = tracker(2);
    Exchange carol = call("carol", "carol");
    tracker.lost(request(call("alice", "alice")), 1, GapReason.QUEUE_FULL);
    tracker.lost(request(call("bob", "bob")), 1, GapReason.QUEUE_FULL);
    VigilEvent firstAggregated = request(carol);
    tracker.lost(firstAggregated, 1, GapReason.QUEUE_FULL);
    tracker.lost(request(call("dave", "dave")), 1, GapReason.QUEUE_FULL);
    tracker.lost(response(call("alice", "alice")), 1, GapReason.QUEUE_FULL); // a tracked session stays itself

    List<SessionLoss> all = tracker.detach(100);
    assertThat(all).extracting(SessionLoss::key).containsExactly("alice", "bob", "vigil-gateway/gw-1");
    assertThat(all).extracting(SessionLoss::events).containsExactly(2L, 1L, 2L);
    VigilEvent aggregate = tracker.gapEvent(all.get(2));
    assertThat(aggregate.getSessionKey()).isEqualTo(tracker.aggregateKey());
    assertThat(aggregate.getIdentity().getUsername()).isEqualTo("carol");
    assertThat(aggregate.getRequest()).isEqualTo(firstAggregated.getRequest());

    // A failed gap of a session that no longer fits is folded into the aggregate, never dropped.
    tracker.restore(all.get(2));
    tracker.lost(request(call("erin", "erin")), 1, GapReason.QUEUE_FULL);
    tracker.lost(request(call("frank", "frank")), 1, GapReason.QUEUE_FULL);
    tracker.restore(all.get(0));
    List<SessionLoss> again = tracker.detach(100);
    assertThat(again).extracting(SessionLoss::key).containsExactly("erin", "frank", "vigil-gateway/gw-1");
    assertThat(again.get(2).events()).isEqualTo(4);
    assertThat(tracker.eventsUnreported()).isEqualTo(7);
  }

  @Test
  void shouldKeepAtMostAHundredRequestIdsPerSessionAndCountTheRest() {
    GapTracker tracker = tracker(10);
    for (int i = 0; i < 150; i++) {
      tracker.lost(request(call("alice", "alice")), 1, GapReason.QUEUE_FULL);
    }
    RecordingGap g = (RecordingGap) tracker.gapEvent(tracker.detach(1).get(0)).getPayload();
    assertThat(g.getEventsLost()).isEqualTo(150);
    assertThat(g.getLostRequestIds()).hasSize(SessionLoss.MAX_IDS).doesNotHaveDuplicates();
    assertThat(g.getRequestIdsOmitted()).isEqualTo(50);
  }
}

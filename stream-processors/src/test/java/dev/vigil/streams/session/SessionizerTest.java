package dev.vigil.streams.session;

import static dev.vigil.streams.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Effect;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.HashChain;
import dev.vigil.schema.chain.SessionVerifier;
import dev.vigil.streams.StreamsFixture;
import dev.vigil.streams.TestEvents;

class SessionizerTest {

  private static final String KEY = "agent-1";

  @TempDir
  Path dir;

  private final List<String> detected = new ArrayList<>();

  /** A detector that records what it sees and raises an alert for every denied call. */
  private KStream<String, Alert> denyDetector(KStream<String, VigilEvent> events) {
    return events
        .peek((k, e) -> detected.add(e.getEventId()))
        .filter((k, e) -> e.getPayload() instanceof dev.vigil.schema.RequestReceived r
            && r.getDecision().getEffect() == Effect.DENY)
        .mapValues(TestEvents::alert);
  }

  private StreamsFixture start() throws Exception {
    return StreamsFixture.start(dir, this::denyDetector);
  }

  @Test
  void shouldOpenANewSessionAfterTheInactivityGap() throws Exception {
    try (StreamsFixture f = start()) {
      VigilEvent e1 = TestEvents.get(KEY, T0);
      VigilEvent e2 = TestEvents.get(KEY, T0.plusSeconds(60));
      VigilEvent e3 = TestEvents.get(KEY, T0.plus(Duration.ofMinutes(16)).plusSeconds(1));
      byte[] v1 = f.send(e1);
      byte[] v2 = f.send(e2);
      byte[] v3 = f.send(e3);

      List<KeyValue<String, SessionSummary>> out = f.sessions.readKeyValuesToList();
      assertThat(out).hasSize(1);
      SessionSummary first = out.get(0).value;
      assertThat(out.get(0).key).isEqualTo(KEY + "#" + e1.getEventId()).isEqualTo(first.getSessionId());
      assertThat(first.getStatus()).isEqualTo(SessionStatus.CLOSED);
      assertThat(first.getEventCount()).isEqualTo(2);
      assertThat(first.getLastEventTime()).isEqualTo(e2.getTime());
      assertThat(SessionVerifier.verify(first, List.of(v1, v2), f.keys.getPublic()).valid()).isTrue();

      f.advance(Duration.ofSeconds(5));
      SessionSummary second = f.sessions.readValue();
      assertThat(second.getSessionId()).isEqualTo(KEY + "#" + e3.getEventId());
      assertThat(second.getStatus()).isEqualTo(SessionStatus.OPEN);
      assertThat(second.getEventCount()).isEqualTo(1);
      assertThat(second.getHeadDigest()).isEqualTo(HashChain.hex(HashChain.head(second.getSessionId(), List.of(v3))));
      assertThat(second.getSignature()).isNull();
    }
  }

  @Test
  void shouldLetAnOutOfOrderEventJoinTheOpenSession() throws Exception {
    try (StreamsFixture f = start()) {
      VigilEvent late = TestEvents.get(KEY, T0.plus(Duration.ofMinutes(5)));
      VigilEvent early = TestEvents.get(KEY, T0.minus(Duration.ofMinutes(30)));
      byte[] v1 = f.send(late);
      byte[] v2 = f.send(early);
      f.advance(Duration.ofSeconds(5));

      SessionSummary s = f.sessions.readValue();
      assertThat(s.getSessionId()).isEqualTo(KEY + "#" + late.getEventId());
      assertThat(s.getEventCount()).isEqualTo(2);
      assertThat(s.getFirstEventTime()).isEqualTo(early.getTime());
      assertThat(s.getLastEventTime()).isEqualTo(late.getTime());
      // chained in the order read, not in event-time order
      assertThat(s.getHeadDigest()).isEqualTo(HashChain.hex(HashChain.head(s.getSessionId(), List.of(v1, v2))));
    }
  }

  @Test
  void shouldSkipAndCountDuplicates() throws Exception {
    try (StreamsFixture f = start()) {
      VigilEvent e1 = TestEvents.get(KEY, T0);
      VigilEvent e2 = TestEvents.get(KEY, T0.plusSeconds(1));
      byte[] v1 = f.send(e1);
      byte[] v2 = f.send(e2);
      f.send(e1);
      f.send(e2);
      f.send(e1);
      f.advance(Duration.ofSeconds(5));

      SessionSummary s = f.sessions.readValue();
      assertThat(s.getEventCount()).isEqualTo(2);
      assertThat(s.getDuplicatesSkipped()).isEqualTo(3);
      assertThat(s.getCountsByVerb()).containsExactly(Map.entry("get", 2L));
      assertThat(s.getHeadDigest()).isEqualTo(HashChain.hex(HashChain.head(s.getSessionId(), List.of(v1, v2))));
      assertThat(detected).containsExactly(e1.getEventId(), e2.getEventId());
    }
  }

  @Test
  void shouldCountCallsByVerbResourceNamespaceAndChannelAndDenials() throws Exception {
    try (StreamsFixture f = start()) {
      f.send(TestEvents.get(KEY, T0));
      f.send(TestEvents.response(KEY, T0.plusMillis(5)));
      f.send(TestEvents.request(KEY, T0.plusSeconds(1), TestEvents.k8s("list", "secrets", null, "kube-system"), Effect.DENY));
      f.send(TestEvents.request(KEY, T0.plusSeconds(2), TestEvents.k8s("get", "pods", "exec", "payments"), Effect.ALLOW));
      f.send(TestEvents.request(KEY, T0.plusSeconds(3), TestEvents.k8s("get", "nodes", null, null), Effect.DENY));
      f.send(TestEvents.llm(KEY, T0.plusSeconds(4)));
      f.advance(Duration.ofSeconds(5));

      SessionSummary s = f.sessions.readValue();
      assertThat(s.getEventCount()).isEqualTo(6);
      assertThat(s.getCountsByVerb()).containsOnly(Map.entry("get", 3L), Map.entry("list", 1L));
      assertThat(s.getCountsByResource())
          .containsOnly(Map.entry("pods", 1L), Map.entry("secrets", 1L), Map.entry("pods/exec", 1L), Map.entry("nodes", 1L));
      assertThat(s.getCountsByNamespace())
          .containsOnly(Map.entry("default", 1L), Map.entry("kube-system", 1L), Map.entry("payments", 1L));
      assertThat(s.getCountsByChannel()).containsOnly(Map.entry("KUBERNETES", 4L), Map.entry("LLM", 1L));
      assertThat(s.getDeniedCount()).isEqualTo(2);
      assertThat(s.getIdentity().getUsername()).isEqualTo(KEY);
    }
  }

  @Test
  void shouldCapTheDistinctKeysOfEachCountMap() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir, this::denyDetector, "vigil.streams.session.max-count-keys", "2")) {
      for (String ns : List.of("a", "b", "c", "d", "a")) {
        f.send(TestEvents.request(KEY, T0, TestEvents.k8s("get", "pods", null, ns), Effect.ALLOW));
      }
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.readValue().getCountsByNamespace())
          .containsOnly(Map.entry("a", 2L), Map.entry("b", 1L), Map.entry(SessionSettings.OTHER, 2L));
    }
  }

  @Test
  void shouldEmitChangedOpenSessionsAtTheUpdateInterval() throws Exception {
    try (StreamsFixture f = start()) {
      f.send(TestEvents.get(KEY, T0));
      f.advance(Duration.ofSeconds(4));
      assertThat(f.sessions.isEmpty()).isTrue();
      f.advance(Duration.ofSeconds(1));
      assertThat(f.sessions.readValuesToList()).singleElement()
          .satisfies(s -> assertThat(s.getEventCount()).isEqualTo(1));
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.isEmpty()).as("unchanged: nothing emitted").isTrue();
      f.send(TestEvents.get(KEY, T0.plusSeconds(8)));
      f.send(TestEvents.get("agent-2", T0.plusSeconds(8)));
      f.advance(Duration.ofSeconds(5));
      List<KeyValue<String, SessionSummary>> out = f.sessions.readKeyValuesToList();
      assertThat(out).extracting(kv -> kv.value.getSessionKey()).containsExactlyInAnyOrder(KEY, "agent-2");
      assertThat(out).allMatch(kv -> kv.value.getStatus() == SessionStatus.OPEN && kv.key.equals(kv.value.getSessionId()));
    }
  }

  @Test
  void shouldCloseAndSignASessionAfterGapPlusGraceByTheWallClock() throws Exception {
    try (StreamsFixture f = start()) {
      VigilEvent e1 = TestEvents.get(KEY, T0);
      VigilEvent e2 = TestEvents.request(KEY, T0.plusSeconds(2), TestEvents.k8s("delete", "pods", null, "x"), Effect.DENY);
      List<byte[]> values = List.of(f.send(e1), f.send(e2));
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.readValue().getStatus()).isEqualTo(SessionStatus.OPEN);

      f.advance(Duration.ofMinutes(16)); // last event T0+2s; closed once the wall clock passes T0+2s+15m+1m
      SessionSummary closed = f.sessions.readValue();
      assertThat(closed.getStatus()).isEqualTo(SessionStatus.CLOSED);
      assertThat(closed.getSigningKeyId()).isEqualTo(StreamsFixture.KEY_ID);
      assertThat(closed.getSignature()).isNotBlank();
      assertThat(closed.getEventCount()).isEqualTo(2);
      assertThat(closed.getAlertCount()).isEqualTo(1);
      SessionVerifier.Result r = SessionVerifier.verify(closed, values, f.keys.getPublic());
      assertThat(r.problems()).isEmpty();
      assertThat(r.signatureValid()).isTrue();
      assertThat(f.sessions.isEmpty()).isTrue();

      f.advance(Duration.ofMinutes(1));
      assertThat(f.sessions.isEmpty()).as("a closed session is emitted once").isTrue();
      VigilEvent next = TestEvents.get(KEY, T0.plusSeconds(30));
      f.send(next);
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.readValue().getSessionId()).as("an event after the close opens a new session")
          .isEqualTo(KEY + "#" + next.getEventId());
    }
  }

  @Test
  void shouldStampAlertsWithTheSessionIdAndCountThem() throws Exception {
    try (StreamsFixture f = start()) {
      VigilEvent first = TestEvents.request(KEY, T0, TestEvents.k8s("get", "secrets", null, "kube-system"), Effect.DENY);
      f.send(first);
      f.send(TestEvents.get(KEY, T0.plusSeconds(1)));
      f.send(TestEvents.request(KEY, T0.plusSeconds(2), TestEvents.k8s("get", "secrets", null, "x"), Effect.DENY));

      List<KeyValue<String, Alert>> alerts = f.alerts.readKeyValuesToList();
      assertThat(alerts).hasSize(2).allSatisfy(kv -> {
        assertThat(kv.key).isEqualTo(KEY);
        assertThat(kv.value.getSessionId()).isEqualTo(KEY + "#" + first.getEventId());
      });
      f.advance(Duration.ofSeconds(5));
      SessionSummary s = f.sessions.readValue();
      assertThat(s.getAlertCount()).isEqualTo(2);
      assertThat(s.getDeniedCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldOpenASessionForAnAlertWhoseKeyHasNone() throws Exception {
    // a detector whose alert names another session key (e.g. raised after that key's session closed)
    try (StreamsFixture f = StreamsFixture.start(dir, events -> events
        .selectKey((k, e) -> "ghost")
        .mapValues(TestEvents::alert))) {
      f.send(TestEvents.get(KEY, T0));
      Alert alert = f.alerts.readValue();
      assertThat(alert.getSessionId()).isEqualTo("ghost#" + alert.getAlertId());
      f.advance(Duration.ofSeconds(5));
      assertThat(f.sessions.readValuesToList())
          .anySatisfy(s -> {
            assertThat(s.getSessionId()).isEqualTo("ghost#" + alert.getAlertId());
            assertThat(s.getEventCount()).isZero();
            assertThat(s.getAlertCount()).isEqualTo(1);
          });
    }
  }

  @Test
  void shouldForgetEventIdsAfterTheDedupeRetention() throws Exception {
    try (StreamsFixture f = StreamsFixture.start(dir, this::denyDetector, "vigil.streams.session.inactivity-gap", "1m",
        "vigil.streams.session.grace", "0s", "vigil.streams.dedupe.retention", "2m",
        "vigil.streams.dedupe.purge-interval", "10s")) {
      VigilEvent e1 = TestEvents.get(KEY, T0);
      f.send(e1);
      f.advance(Duration.ofSeconds(70));
      f.send(e1); // still remembered: a duplicate, but its session closed: counted nowhere, not detected again
      f.advance(Duration.ofMinutes(2));
      f.sessions.readValuesToList();
      f.send(e1); // forgotten: a new event again
      f.advance(Duration.ofSeconds(5));
      SessionSummary s = f.sessions.readValue();
      assertThat(s.getEventCount()).isEqualTo(1);
      assertThat(s.getDuplicatesSkipped()).isZero();
      assertThat(detected).containsExactly(e1.getEventId(), e1.getEventId());
    }
  }
}

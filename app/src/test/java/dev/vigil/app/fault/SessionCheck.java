package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;
import dev.vigil.schema.chain.SessionVerifier;

/**
 * The stream processors' output checked against Kafka's events: every session key's events (partition order, each
 * event id once) are cut, in order, into that key's CLOSED sessions, whose event counts add up and whose signed hash
 * chains verify.
 */
final class SessionCheck {

  private static final Logger LOG = LoggerFactory.getLogger(SessionCheck.class);

  private SessionCheck() {}

  /** Each session key's raw event values in partition order, each event id once. */
  static Map<String, List<byte[]>> eventValuesByKey(List<ConsumerRecord<String, byte[]>> events) {
    Map<String, List<byte[]>> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : events) {
      if (seen.add(KafkaLog.EVENTS.decode(r.value()).getEventId())) {
        out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
      }
    }
    return out;
  }

  /** The newest summary of each session id on the sessions topic. */
  static Map<String, SessionSummary> latestSummaries(String bootstrap) {
    Map<String, SessionSummary> latest = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : KafkaLog.readAll(bootstrap, Topics.SESSIONS)) {
      SessionSummary s = KafkaLog.SESSIONS.decode(r.value());
      assertThat(r.key()).isEqualTo(s.getSessionId());
      latest.put(s.getSessionId(), s);
    }
    return latest;
  }

  /** Waits (bounded) until every key's CLOSED sessions count all its events; returns the closed sessions by key. */
  static Map<String, List<SessionSummary>> awaitClosed(String bootstrap, Map<String, List<byte[]>> valuesByKey,
      Duration timeout) {
    java.util.concurrent.atomic.AtomicReference<Map<String, List<SessionSummary>>> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    long t0 = System.nanoTime();
    Map<String, List<SessionSummary>> result = Poll.until("every session closed, counting every event", timeout, () -> {
      Map<String, List<SessionSummary>> closed = new LinkedHashMap<>();
      for (SessionSummary s : latestSummaries(bootstrap).values()) {
        if (s.getStatus() == SessionStatus.CLOSED) {
          closed.computeIfAbsent(s.getSessionKey(), k -> new ArrayList<>()).add(s);
        }
      }
      last.set(closed);
      boolean all = valuesByKey.entrySet().stream().allMatch(e -> closed.getOrDefault(e.getKey(), List.of()).stream()
          .mapToLong(SessionSummary::getEventCount).sum() >= e.getValue().size());
      return all ? closed : null;
    }, () -> "(closed so far: " + counts(last.get()) + ")");
    LOG.info("every session closed, counting every event, {} ms after the check started",
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return result;
  }

  /**
   * Asserts, per key, that the closed sessions (in order of their first event) take the key's events in consecutive
   * runs of exactly their event count, each verifying (count, head digest, Ed25519 signature); returns the number
   * of sessions verified.
   */
  static int assertChainsVerify(Map<String, List<byte[]>> valuesByKey, Map<String, List<SessionSummary>> closed,
      PublicKey key) {
    int verified = 0;
    for (Map.Entry<String, List<byte[]>> e : valuesByKey.entrySet()) {
      List<SessionSummary> sessions = new ArrayList<>(closed.getOrDefault(e.getKey(), List.of()));
      sessions.sort(Comparator.comparing(SessionSummary::getFirstEventTime));
      long total = sessions.stream().mapToLong(SessionSummary::getEventCount).sum();
      assertThat(total).as("events of %s in its closed sessions %s", e.getKey(), counts(Map.of(e.getKey(), sessions)))
          .isEqualTo(e.getValue().size());
      int from = 0;
      for (SessionSummary s : sessions) {
        List<byte[]> run = e.getValue().subList(from, from + (int) s.getEventCount());
        SessionVerifier.Result result = SessionVerifier.verify(s, run, key);
        assertThat(result.problems()).as("session %s (%d events from #%d)", s.getSessionId(), s.getEventCount(), from)
            .isEmpty();
        assertThat(result.signatureValid()).isTrue();
        from += (int) s.getEventCount();
        verified++;
      }
    }
    LOG.info("verified {} closed sessions of {} keys against {} events", verified, valuesByKey.size(),
        valuesByKey.values().stream().mapToInt(List::size).sum());
    return verified;
  }

  /** Every alert record on the alerts topic (read_committed), in topic order. */
  static List<Alert> alerts(String bootstrap) {
    return KafkaLog.readAll(bootstrap, Topics.ALERTS).stream().map(r -> KafkaLog.ALERTS.decode(r.value())).toList();
  }

  private static String counts(Map<String, List<SessionSummary>> closed) {
    if (closed == null) {
      return "none";
    }
    Map<String, List<Long>> m = new LinkedHashMap<>();
    closed.forEach((k, v) -> m.put(k, v.stream().map(SessionSummary::getEventCount).toList()));
    return m.toString();
  }
}

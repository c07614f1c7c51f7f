package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;

/** The counts a fault test reconciles: the upstream's log, Kafka's events and OpenSearch's documents. */
final class Reconcile {

  private static final Logger LOG = LoggerFactory.getLogger(Reconcile.class);

  private Reconcile() {}

  /** Labels of the load's calls kube-sim received, one entry per received request (a repeat would show twice). */
  static List<String> upstreamLabels(KubeSim kubeSim) {
    return kubeSim.requests().stream().map(RecordedRequest::query).map(Load::labelOf).filter(Objects::nonNull).toList();
  }

  /** Labels of the load's calls that have a RequestReceived in {@code events}, one entry per event. */
  static List<String> recordedLabels(List<VigilEvent> events) {
    return events.stream().filter(e -> e.getPayload() instanceof RequestReceived)
        .map(e -> Load.labelOf(e.getRequest().getQuery())).filter(Objects::nonNull).toList();
  }

  /** Event ids that occur more than once in {@code events} (the proxy's idempotent producer writes each once). */
  static Set<String> duplicateEventIds(List<VigilEvent> events) {
    Set<String> seen = new HashSet<>();
    return events.stream().map(VigilEvent::getEventId).filter(id -> !seen.add(id)).collect(Collectors.toSet());
  }

  /** Labels whose calls got {@code status}. */
  static Set<String> withStatus(Map<String, Integer> statuses, int status) {
    return statuses.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /**
   * Waits (bounded) until OpenSearch holds as many documents under {@code pattern} as there are distinct ids in
   * {@code expectedIds}, then asserts the document ids are exactly those ids, each once: 0 lost, 0 duplicates.
   */
  static void assertIndexedExactly(OpenSearchDocs os, String pattern, Set<String> expectedIds, Duration timeout) {
    long[] last = {-1};
    Poll.until(expectedIds.size() + " documents in " + pattern, timeout, () -> {
      last[0] = os.count(pattern);
      return last[0] >= expectedIds.size() ? Boolean.TRUE : null;
    }, () -> "(last count " + last[0] + ")");
    Poll.sleep(1000); // a late duplicate or stray document would show now
    List<String> ids = os.ids(pattern);
    long count = os.count(pattern);
    Map<String, Integer> byId = new HashMap<>();
    ids.forEach(id -> byId.merge(id, 1, Integer::sum));
    List<String> duplicates = byId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    Set<String> lost = new HashSet<>(expectedIds);
    lost.removeAll(byId.keySet());
    Set<String> extra = new HashSet<>(byId.keySet());
    extra.removeAll(expectedIds);
    LOG.info("reconcile {}: Kafka {} distinct ids, OpenSearch {} documents ({} ids), lost {}, duplicates {}, extra {}",
        pattern, expectedIds.size(), count, ids.size(), lost.size(), duplicates.size(), extra.size());
    assertThat(lost).as("in Kafka but not in %s", pattern).isEmpty();
    assertThat(duplicates).as("ids indexed twice in %s", pattern).isEmpty();
    assertThat(extra).as("documents in %s that Kafka does not hold", pattern).isEmpty();
    assertThat(count).as("document count of %s", pattern).isEqualTo(expectedIds.size());
  }

  static Set<String> eventIds(List<VigilEvent> events) {
    return events.stream().map(VigilEvent::getEventId).collect(Collectors.toCollection(HashSet::new));
  }

  /** {@code a} without the elements of {@code b}. */
  static Set<String> minus(Iterable<String> a, Set<String> b) {
    Set<String> out = new HashSet<>();
    a.forEach(x -> {
      if (!b.contains(x)) {
        out.add(x);
      }
    });
    return out;
  }

  static List<String> repeated(List<String> labels) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    labels.forEach(l -> {
      if (!seen.add(l)) {
        out.add(l);
      }
    });
    return out;
  }
}

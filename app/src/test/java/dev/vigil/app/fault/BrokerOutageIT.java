package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.indexer.EventIndexer;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.json.JsonObject;

/**
 * The Kafka broker stops for a few seconds while callers drive requests through the proxy, then restarts on the same
 * port and data directory; the indexer (in this JVM) keeps running. Afterwards the upstream's log, Kafka and OpenSearch
 * are reconciled call by call.
 */
@ExtendWith(OpenSearchExtension.class)
class BrokerOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
  static final String STRICT_POLICY = """
      defaultEffect: allow
      defaults:
        recording: strict
      rules:
        - id: everything
          effect: allow
          match: all
      """;
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

  @Test
  void shouldForwardOnlyWhatKafkaHoldsInStrictModeAndIndexAllOfIt(EmbeddedOpenSearch os, @TempDir Path dir)
      throws Exception {
    try (FaultStack stack = new FaultStack("broker-strict", dir, 2)) {
      stack.startProxy(STRICT_POLICY, Map.of(ProxyConfig.RECORDING_STRICT_TIMEOUT, "1s"));
      EventIndexer indexer = startIndexer(stack, os);
      try {
        Load load = runWithBrokerOutage(stack, Duration.ofSeconds(4));
        Map<String, Integer> statuses = load.finish();
        List<String> upstream = Reconcile.upstreamLabels(stack.kubeSim);
        List<VigilEvent> events = KafkaLog.events(stack.bootstrap());
        Set<String> inKafka = new HashSet<>(Reconcile.recordedLabels(events));
        Set<String> ok = Reconcile.withStatus(statuses, 200);
        Set<String> refused = Reconcile.withStatus(statuses, 503);
        LOG.info("strict reconciliation: {} calls, {} answered 200, {} answered 503; upstream saw {}; Kafka holds {} "
            + "RequestReceived of them ({} events); refused but recorded {}", statuses.size(), ok.size(), refused.size(),
            upstream.size(), inKafka.size(), events.size(), refused.stream().filter(inKafka::contains).count());

        assertThat(statuses).as("every call answered").hasSize(load.done());
        assertThat(ok.size() + refused.size()).as("every call got 200 or 503: %s", statuses).isEqualTo(load.done());
        assertThat(refused).as("the outage refused calls (else this proves nothing)").isNotEmpty();
        assertThat(Reconcile.repeated(upstream)).as("requests the upstream saw twice").isEmpty();
        assertThat(new HashSet<>(upstream)).as("the upstream saw exactly the calls answered 200").isEqualTo(ok);
        assertThat(Reconcile.minus(upstream, inKafka)).as("forwarded without being in Kafka").isEmpty();
        assertThat(Reconcile.duplicateEventIds(events)).isEmpty();
        Reconcile.assertIndexedExactly(new OpenSearchDocs(os.httpUrl()), stack.eventsIndexPrefix() + "-*",
            Reconcile.eventIds(events), Duration.ofSeconds(60));
      } finally {
        indexer.close();
      }
    }
  }

  @Test
  void shouldReportEveryBestEffortLossAsAGapAndIndexExactlyWhatKafkaHolds(EmbeddedOpenSearch os, @TempDir Path dir)
      throws Exception {
    try (FaultStack stack = new FaultStack("broker-best", dir, 2)) {
      String producer = ProxyConfig.KAFKA_PRODUCER_PREFIX;
      stack.startProxy(null, Map.of(producer + ".request.timeout.ms", "1000",
          producer + ".delivery.timeout.ms", Long.toString(DELIVERY_TIMEOUT.toMillis()),
          producer + ".max.block.ms", "300"));
      EventIndexer indexer = startIndexer(stack, os);
      try {
        Load load = runWithBrokerOutage(stack, DELIVERY_TIMEOUT.multipliedBy(2));
        Map<String, Integer> statuses = load.finish();
        assertThat(statuses).as("best effort: every call answered 200 while the broker was down").hasSize(load.done())
            .allSatisfy((label, status) -> assertThat(status).as(label).isEqualTo(200));
        JsonObject gaps = settledGaps(stack);

        List<String> upstream = Reconcile.upstreamLabels(stack.kubeSim);
        List<VigilEvent> events = KafkaLog.events(stack.bootstrap());
        Set<String> inKafka = new HashSet<>(Reconcile.recordedLabels(events));
        List<RecordingGap> gapEvents = events.stream().filter(e -> e.getPayload() instanceof RecordingGap)
            .map(e -> (RecordingGap) e.getPayload()).toList();
        long requestsLost = gapEvents.stream().mapToLong(RecordingGap::getRequestsLost).sum();
        long eventsLost = gapEvents.stream().mapToLong(RecordingGap::getEventsLost).sum();
        Set<String> missing = Reconcile.minus(upstream, inKafka);
        LOG.info("best-effort reconciliation: upstream saw {} calls, Kafka holds {} of their RequestReceived ({} events), "
            + "{} missing; {} RecordingGap event(s) report {} RequestReceived lost ({} events lost); proxy status {}",
            upstream.size(), inKafka.size(), events.size(), missing.size(), gapEvents.size(), requestsLost, eventsLost,
            gaps);

        assertThat(Reconcile.repeated(upstream)).isEmpty();
        assertThat(upstream).as("the upstream saw every call").hasSize(load.done());
        assertThat(missing).as("the outage lost requests (else this proves nothing)").isNotEmpty();
        assertThat((long) missing.size()).as("upstream - Kafka == RequestReceived reported lost by RecordingGap events")
            .isEqualTo(requestsLost);
        assertThat(eventsLost).isEqualTo(gaps.getLong("eventsLost"));
        assertThat(Reconcile.duplicateEventIds(events)).isEmpty();
        Reconcile.assertIndexedExactly(new OpenSearchDocs(os.httpUrl()), stack.eventsIndexPrefix() + "-*",
            Reconcile.eventIds(events), Duration.ofSeconds(60));
      } finally {
        indexer.close();
      }
    }
  }

  /**
   * Starts the load; after {@code 60 * scale} calls stops the broker for {@code outage}, restarts it, and returns once
   * {@code 60 * scale} more calls were answered (the caller then stops the load).
   */
  private static Load runWithBrokerOutage(FaultStack stack, Duration outage) {
    Load load = new Load(stack, Load.callers("agent", 4, 2), 4, 10).start();
    try {
      load.awaitDone(FaultScale.calls(60), Duration.ofMinutes(5));
      int before = load.done();
      stack.stopKafka();
      Poll.sleep(outage.toMillis());
      int during = load.done() - before;
      stack.restartKafka();
      load.awaitMore(FaultScale.calls(60), Duration.ofMinutes(5));
      LOG.info("broker down for {} ms: {} calls answered before, {} during", outage.toMillis(), before, during);
      return load;
    } catch (RuntimeException | AssertionError e) {
      load.abort();
      throw e;
    }
  }

  private static EventIndexer startIndexer(FaultStack stack, EmbeddedOpenSearch os) throws Exception {
    EventIndexer indexer = EventIndexer.start(IndexerConfig.from(Settings.of(stack.indexerSettings(os.httpUrl()))));
    indexer.ready().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    return indexer;
  }

  /**
   * The proxy's recording status once every loss is reported as a gap and nothing changes for 2 s. Gaps are published
   * with the next acknowledged send: while losses are unreported and nothing moves, one more call (outside the load's
   * labels) gives the gateway that acknowledgement, as live traffic would.
   */
  private static JsonObject settledGaps(FaultStack stack) {
    String token = stack.token("settler");
    JsonObject[] last = {null};
    int[] stable = {0};
    int[] settle = {0};
    return Poll.until("recording gaps settled", Duration.ofSeconds(90), () -> {
      JsonObject status = FaultStack.await(stack.client().get("/vigil/status").send()).bodyAsJsonObject();
      JsonObject now = status.getJsonObject("gaps").copy().put("events", status.getJsonObject("events"));
      boolean reported = now.getLong("eventsUnreported") == 0;
      stable[0] = now.equals(last[0]) && reported ? stable[0] + 1 : 0;
      if (!reported && now.equals(last[0])) {
        FaultStack.await(stack.client().get("/api/v1/namespaces/default/pods?settle=" + settle[0]++)
            .putHeader("Authorization", "Bearer " + token).send());
      }
      last[0] = now;
      Poll.sleep(500);
      return stable[0] >= 4 ? now : null;
    }, () -> String.valueOf(last[0]));
  }
}

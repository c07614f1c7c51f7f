package dev.vigil.app.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.embedded.junit.FreePorts;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;

/**
 * The indexer (a child JVM, {@code vigil indexer}) reaches OpenSearch through a TCP relay that is cut mid-load for
 * several seconds (every connection closed, new ones refused), then restored. The backlog drains: OpenSearch ends up
 * with exactly Kafka's events, none dead-lettered; the indexer's {@code /readyz} said 503 during the outage and its
 * retry counter moved.
 */
@ExtendWith(OpenSearchExtension.class)
class OpenSearchOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchOutageIT.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final Duration OUTAGE = Duration.ofSeconds(6);

  @Test
  void shouldDrainTheBacklogAfterAnOutageLosingNothing(EmbeddedOpenSearch os, @TempDir Path dir) throws Exception {
    try (FaultStack stack = new FaultStack("os-outage", dir, 2); TcpRelay relay = new TcpRelay(os.httpPort())) {
      stack.startProxy(null, Map.of());
      int management = FreePorts.pick();
      Map<String, String> settings = stack.indexerSettings("http://127.0.0.1:" + relay.port());
      settings.put("vigil.indexer.management.host", "127.0.0.1");
      settings.put("vigil.indexer.management.port", Integer.toString(management));
      settings.put("vigil.indexer.retry.max-backoff", "2s");
      String base = "http://127.0.0.1:" + management;
      OpenSearchDocs docs = new OpenSearchDocs(os.httpUrl()); // straight to the node, never through the relay
      String events = stack.eventsIndexPrefix() + "-*";
      try (ChildService indexer = ChildService.start("indexer", settings, dir, "indexer")) {
        Poll.until("/readyz 200 before the outage", Duration.ofSeconds(30), () -> status(base + "/readyz") == 200);
        Load load = new Load(stack, Load.callers("agent", 4, 2), 4, 20).start();
        List<Integer> readyDuring = new ArrayList<>();
        long stalledFrom;
        long stalledTo;
        try {
          load.awaitDone(FaultScale.calls(60), Duration.ofMinutes(5));
          Poll.until("the indexer writing", Duration.ofSeconds(60), () -> docs.count(events) >= FaultScale.calls(50));
          relay.cut();
          Poll.sleep(1000); // a bulk request in flight when the relay was cut has failed by now
          stalledFrom = docs.count(events);
          long end = System.nanoTime() + OUTAGE.minusSeconds(1).toNanos();
          while (System.nanoTime() < end) {
            readyDuring.add(status(base + "/readyz"));
            Poll.sleep(500);
          }
          stalledTo = docs.count(events);
          relay.restore();
          load.awaitMore(FaultScale.calls(60), Duration.ofMinutes(5));
        } finally {
          load.finish();
        }
        List<VigilEvent> kafkaEvents = KafkaLog.events(stack.bootstrap());
        LOG.info("OpenSearch cut for {} s: {} documents at the cut, {} at its end, {} events in Kafka afterwards; "
            + "/readyz during the outage {}; {} connections refused by the relay", OUTAGE.toSeconds(), stalledFrom,
            stalledTo, kafkaEvents.size(), readyDuring, relay.refused());

        assertThat(stalledTo).as("nothing indexed while OpenSearch was unreachable").isEqualTo(stalledFrom);
        assertThat(relay.refused()).as("the indexer kept trying").isPositive();
        assertThat(readyDuring).as("/readyz during the outage").contains(503);
        Reconcile.assertIndexedExactly(docs, events, Reconcile.eventIds(kafkaEvents), Duration.ofSeconds(120));
        assertThat(KafkaLog.readAll(stack.bootstrap(), Topics.DLQ)).as("nothing dead-lettered").isEmpty();
        Poll.until("/readyz 200 after the outage", Duration.ofSeconds(30), () -> status(base + "/readyz") == 200);
        String metrics = body(base + "/metrics");
        assertThat(metric(metrics, "vigil_indexer_retries_total")).as("retries counted").isPositive();
        assertThat(metric(metrics, "vigil_indexer_items_dead_lettered_total")).isZero();
        assertThat(indexer.isAlive()).as("the indexer survived the outage").isTrue();
      }
    }
  }

  /** The sum of a Prometheus metric's samples (every label set). */
  static double metric(String exposition, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertThat(found).as("metric %s exposed", name).isTrue();
    return sum;
  }

  private static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String body(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}

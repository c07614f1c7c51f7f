package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Severity;
import dev.vigil.streams.notify.WebhookReceiver.Reply;
import dev.vigil.streams.notify.WebhookSettings.Format;

/** Retries where they can help (503, 429 with Retry-After, connection errors, timeouts), giving up, closing. */
class WebhookRetryTest extends WebhookTestBase {

  @Test
  void shouldRetryOn503ThenDeliverWithAFreshSignature() {
    receiver.script(Reply.of(503), Reply.of(503));

    List<GiveUp> gaveUp = delivery(json(), 3).deliver(polled(TestAlerts.alert("a-1")));

    assertThat(gaveUp).isEmpty();
    assertThat(receiver.received()).hasSize(3).allSatisfy(r -> assertThat(Signatures.verify(TestAlerts.secret(),
        r.header(Signatures.TIMESTAMP_HEADER), r.header(Signatures.SIGNATURE_HEADER), r.body(), Instant.now().getEpochSecond(), 60))
        .isTrue());
    assertThat(counters.retries.get()).isEqualTo(2);
    assertThat(counters.delivered.get()).isEqualTo(1);
  }

  @Test
  void shouldHonourRetryAfter() {
    receiver.script(new Reply(429, Map.of("Retry-After", "1"), ""));

    List<GiveUp> gaveUp = delivery(json(), 3, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(5))
        .deliver(polled(TestAlerts.alert("a-1")));

    assertThat(gaveUp).isEmpty();
    List<WebhookReceiver.Received> r = receiver.received();
    assertThat(r).hasSize(2);
    assertThat(Duration.ofNanos(r.get(1).nanoTime() - r.get(0).nanoTime())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void shouldCapRetryAfterAtTheMaximumBackoff() {
    receiver.script(new Reply(503, Map.of("Retry-After", "3600"), ""));

    delivery(json(), 3, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(5)).deliver(polled(TestAlerts.alert("a-1")));

    List<WebhookReceiver.Received> r = receiver.received();
    assertThat(r).hasSize(2);
    assertThat(Duration.ofNanos(r.get(1).nanoTime() - r.get(0).nanoTime())).isBetween(Duration.ofMillis(190), Duration.ofSeconds(3));
  }

  @Test
  void shouldGiveUpAfterMaxAttemptsThenProbeOnceThenGiveUpTheRestOfThePoll() {
    receiver.fallback(Reply.of(503));

    List<GiveUp> gaveUp = delivery(json(), 3).deliver(polled(TestAlerts.alert("a-1"), TestAlerts.alert("a-2"), TestAlerts.alert("a-3")));

    assertThat(gaveUp).extracting(GiveUp::alertId, GiveUp::reasonCode).containsExactly(
        tuple("a-1", GiveUp.RETRIES_EXHAUSTED),
        tuple("a-2", GiveUp.RETRIES_EXHAUSTED),
        tuple("a-3", GiveUp.WEBHOOK_UNAVAILABLE));
    assertThat(receiver.receivedFor("a-1")).hasSize(3);
    assertThat(receiver.receivedFor("a-2")).as("a single probe").hasSize(1);
    assertThat(receiver.receivedFor("a-3")).isEmpty();
    assertThat(gaveUp.get(0).detail()).contains("503").contains("attempt 3 of 3");
  }

  @Test
  void shouldDeliverNormallyAgainWhenTheProbeSucceeds() {
    receiver.script(Reply.of(503), Reply.of(503));

    List<GiveUp> gaveUp = delivery(json(), 2).deliver(polled(TestAlerts.alert("a-1"), TestAlerts.alert("a-2"), TestAlerts.alert("a-3")));

    assertThat(gaveUp).extracting(GiveUp::alertId).containsExactly("a-1");
    assertThat(receiver.receivedFor("a-2")).hasSize(1);
    assertThat(receiver.receivedFor("a-3")).hasSize(1);
    assertThat(counters.delivered.get()).isEqualTo(2);
  }

  @Test
  void shouldRetryConnectionErrorsWithoutLeakingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    WebhookSettings closed = new WebhookSettings("down", URI.create("http://127.0.0.1:" + port + "/x/" + TestAlerts.URL_SECRET),
        Format.JSON, TestAlerts.secret(), Severity.LOW, Set.of());

    List<GiveUp> gaveUp = delivery(closed, 2).deliver(polled(TestAlerts.alert("a-1")));

    assertThat(gaveUp).singleElement().satisfies(g -> {
      assertThat(g.reasonCode()).isEqualTo(GiveUp.RETRIES_EXHAUSTED);
      assertThat(g.detail()).contains("ConnectException").doesNotContain(TestAlerts.URL_SECRET);
    });
    assertThat(counters.retries.get()).isEqualTo(1);
    assertThat(logs.lines()).isNotEmpty().noneSatisfy(l -> assertThat(l).contains(TestAlerts.URL_SECRET));
  }

  @Test
  void shouldRetryTimeouts() {
    receiver.fallback(Reply.hang());

    List<GiveUp> gaveUp = delivery(json(), 2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(300))
        .deliver(polled(TestAlerts.alert("a-1")));

    assertThat(receiver.received()).hasSize(2);
    assertThat(gaveUp).singleElement().satisfies(g -> {
      assertThat(g.reasonCode()).isEqualTo(GiveUp.RETRIES_EXHAUSTED);
      assertThat(g.detail()).containsIgnoringCase("timed out");
    });
  }

  @Test
  void shouldStopWaitingPromptlyWhenClosing() throws Exception {
    receiver.fallback(Reply.of(503));
    WebhookDelivery d = delivery(json(), 5, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(5));
    CompletableFuture<List<GiveUp>> running = CompletableFuture.supplyAsync(() -> d.deliver(polled(TestAlerts.alert("a-1"))));
    while (receiver.received().isEmpty()) {
      Thread.sleep(10);
    }

    long started = System.nanoTime();
    shutdown.signal();

    assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(Shutdown.Closed.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }
}

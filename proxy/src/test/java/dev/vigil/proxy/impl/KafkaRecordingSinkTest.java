package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.vigil.schema.GapReason;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The bounded queue in front of the Kafka producer: a full queue drops (and counts) events, traffic goes on; what was
 * dropped or failed is published as recording gap events once Kafka acknowledges again.
 */
class KafkaRecordingSinkTest {

  private final Vertx vertx = Vertx.vertx();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch sending = new CountDownLatch(1);
  /** A producer whose send blocks until released, like a real one with a full buffer or no broker metadata. */
  private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
      new ByteArraySerializer()) {
    @Override
    public java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
      sending.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.send(record, callback);
    }
  };

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private final SessionKeys sessions = new SessionKeys(100, Duration.ofHours(1), System::nanoTime);
  private final EventFactory factory = new EventFactory("gw", sessions, System::currentTimeMillis);

  private VigilEvent event(int i) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = "s-" + (i % 3);
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/pods", null, null, null, null);
    return factory.responseCompleted(ex, 200, java.util.Map.of(), null, 1, 2);
  }

  @Test
  void shouldDropAndCountEventsBeyondTheQueuedEventBoundAndKeepGoing() throws Exception {
    KafkaRecordingSink sink = new KafkaRecordingSink(vertx, producer, "t", 2, Long.MAX_VALUE);

    List<Future<Void>> results = new ArrayList<>();
    results.add(sink.record(event(0)));
    assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue(); // the sender thread is stuck in send()
    for (int i = 1; i < 6; i++) {
      results.add(sink.record(event(i)));
    }

    assertThat(sink.dropped()).isEqualTo(3);
    assertThat(results.subList(3, 6)).allSatisfy(f -> {
      assertThat(f.failed()).isTrue();
      assertThat(f.cause()).isInstanceOf(KafkaRecordingSink.QueueFullException.class);
    });
    release.countDown();
    Future.all(results.subList(0, 3)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(producer.history().subList(0, 3)).noneMatch(r -> isGap(r.value()));
    assertThat(sink.record(event(9)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
    assertThat(producer.history().stream().filter(r -> !isGap(r.value()))).hasSize(4);
    assertThat(VigilSerdes.events().decode(producer.history().get(0).value()).getSessionKey()).isEqualTo("s-0");
  }

  @Test
  void shouldDropEventsBeyondTheQueuedByteBound() throws Exception {
    int size = VigilSerdes.events().encode(event(0)).length;
    KafkaRecordingSink sink = new KafkaRecordingSink(vertx, producer, "t", 1_000, size * 2L + size / 2);

    sink.record(event(0));
    assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
    Future<Void> second = sink.record(event(1));
    Future<Void> third = sink.record(event(2));
    Future<Void> fourth = sink.record(event(3));

    assertThat(second.failed() || third.failed()).isFalse();
    assertThat(fourth.failed()).isTrue();
    assertThat(fourth.cause()).isInstanceOf(KafkaRecordingSink.QueueFullException.class).hasMessageContaining("bytes");
    assertThat(sink.dropped()).isEqualTo(1);
    release.countDown();
    Future.all(second, third).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(sink.queuedBytes()).isZero();
  }

  private VigilEvent event(String session, boolean request) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = session;
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/pods", null, null, null, null);
    return request ? factory.requestReceived(ex, java.util.Map.of(), null, EventFactory.allow())
        : factory.responseCompleted(ex, 200, java.util.Map.of(), null, 1, 2);
  }

  private static boolean isGap(byte[] value) {
    return VigilSerdes.events().decode(value).getPayload() instanceof RecordingGap;
  }

  private static List<RecordingGap> gaps(MockProducer<String, byte[]> p) {
    return p.history().stream().map(r -> VigilSerdes.events().decode(r.value()))
        .filter(e -> e.getPayload() instanceof RecordingGap).map(e -> (RecordingGap) e.getPayload()).toList();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void shouldPublishTheDroppedEventsAsOneGapPerSessionOnceKafkaAcknowledges() throws Exception {
    KafkaRecordingSink sink = new KafkaRecordingSink(vertx, producer, "t", 2, Long.MAX_VALUE);
    List<Future<Void>> kept = new ArrayList<>();
    kept.add(sink.record(event("s-0", true)));
    assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue(); // the sender thread is stuck in send()
    kept.add(sink.record(event("s-0", true)));
    kept.add(sink.record(event("s-1", true)));
    List<VigilEvent> lost = List.of(event("s-1", true), event("s-2", false), event("s-1", false));
    lost.forEach(sink::record);
    assertThat(sink.dropped()).isEqualTo(3);
    assertThat(sink.gaps().eventsUnreported()).isEqualTo(3);
    assertThat(gaps(producer)).isEmpty();

    release.countDown();
    Future.all(kept).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    awaitTrue(() -> sink.gaps().gapsRecorded() == 2);

    assertThat(sink.gaps().eventsUnreported()).isZero();
    List<VigilEvent> gapEvents = producer.history().stream().map(r -> VigilSerdes.events().decode(r.value()))
        .filter(e -> e.getPayload() instanceof RecordingGap).toList();
    assertThat(gapEvents).extracting(VigilEvent::getSessionKey).containsExactly("s-1", "s-2");
    RecordingGap s1 = (RecordingGap) gapEvents.get(0).getPayload();
    assertThat(s1.getEventsLost()).isEqualTo(2);
    assertThat(s1.getRequestsLost()).isEqualTo(1);
    assertThat(s1.getTerminalsLost()).isEqualTo(1);
    assertThat(s1.getReason()).isEqualTo(GapReason.QUEUE_FULL);
    assertThat(s1.getBytesLost()).isEqualTo(VigilSerdes.events().encode(lost.get(0)).length
        + VigilSerdes.events().encode(lost.get(2)).length);
    assertThat(s1.getLostRequestIds()).containsExactly(lost.get(0).getRequest().getRequestId(),
        lost.get(2).getRequest().getRequestId());
    assertThat(gapEvents.get(0).getRequest()).isEqualTo(lost.get(0).getRequest());
    assertThat(((RecordingGap) gapEvents.get(1).getPayload()).getTerminalsLost()).isEqualTo(1);
    assertThat(producer.history()).allSatisfy(r ->
        assertThat(r.key()).isEqualTo(VigilSerdes.events().decode(r.value()).getSessionKey()));
  }

  @Test
  void shouldReportFailedSendsAndKeepTheCountUntilTheGapItselfIsAcknowledged() throws Exception {
    MockProducer<String, byte[]> manual = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    KafkaRecordingSink sink = new KafkaRecordingSink(vertx, manual, "t", 100, Long.MAX_VALUE);
    VigilEvent req = event("s-a", true);
    sink.record(req);
    sink.record(event("s-a", false));
    sink.record(event("s-b", true));
    awaitTrue(() -> manual.history().size() == 3);
    for (int i = 0; i < 3; i++) {
      assertThat(manual.errorNext(new org.apache.kafka.common.errors.TimeoutException("delivery timeout"))).isTrue();
    }
    awaitTrue(() -> sink.gaps().eventsUnreported() == 3);

    sink.record(event("s-c", true)); // Kafka is back: acknowledging it starts a round of gap events
    awaitTrue(() -> manual.history().size() == 4);
    assertThat(manual.completeNext()).isTrue();
    awaitTrue(() -> manual.history().size() == 6);
    assertThat(gaps(manual)).extracting(RecordingGap::getEventsLost).containsExactly(2L, 1L);

    // The first gap fails: its count is kept; the second is acknowledged, so a new round publishes the first again.
    assertThat(manual.errorNext(new org.apache.kafka.common.errors.TimeoutException("delivery timeout"))).isTrue();
    assertThat(manual.completeNext()).isTrue();
    awaitTrue(() -> sink.gaps().gapsRecorded() == 1);
    awaitTrue(() -> manual.history().size() == 7);
    assertThat(sink.gaps().eventsUnreported()).isEqualTo(2);
    // That gap fails too, and the session loses one more event meanwhile: both are kept, merged.
    sink.record(event("s-a", true));
    awaitTrue(() -> manual.history().size() == 8);
    assertThat(manual.errorNext(new org.apache.kafka.common.errors.TimeoutException("delivery timeout"))).isTrue();
    assertThat(manual.errorNext(new org.apache.kafka.common.errors.TimeoutException("delivery timeout"))).isTrue();
    awaitTrue(() -> sink.gaps().eventsUnreported() == 3);
    sink.record(event("s-d", true));
    awaitTrue(() -> manual.history().size() == 9);
    assertThat(manual.completeNext()).isTrue();
    awaitTrue(() -> manual.history().size() == 10);
    assertThat(manual.completeNext()).isTrue();
    awaitTrue(() -> sink.gaps().gapsRecorded() == 2);

    RecordingGap merged = gaps(manual).get(gaps(manual).size() - 1);
    assertThat(merged.getEventsLost()).isEqualTo(3);
    assertThat(merged.getRequestsLost()).isEqualTo(2);
    assertThat(merged.getTerminalsLost()).isEqualTo(1);
    assertThat(merged.getReason()).isEqualTo(GapReason.SEND_FAILED);
    assertThat(merged.getLostRequestIds()).startsWith(req.getRequest().getRequestId()).hasSize(3); // three calls
    assertThat(sink.gaps().eventsUnreported()).isZero();
    assertThat(sink.gaps().eventsLost()).isEqualTo(4);
  }

  @Test
  void shouldQueueGapEventsEvenWhenTheQueueIsFull() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean stuck = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch stuckSending = new CountDownLatch(1);
    CountDownLatch unstick = new CountDownLatch(1);
    MockProducer<String, byte[]> manual = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        if (stuck.compareAndSet(true, false)) {
          stuckSending.countDown();
          try {
            unstick.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.send(record, callback);
      }
    };
    KafkaRecordingSink sink = new KafkaRecordingSink(vertx, manual, "t", 1, Long.MAX_VALUE);
    sink.record(event("s-0", true));
    awaitTrue(() -> manual.history().size() == 1);
    stuck.set(true);
    sink.record(event("s-0", false));
    assertThat(stuckSending.await(5, TimeUnit.SECONDS)).isTrue();
    sink.record(event("s-1", true)); // queued: the queue is full now
    assertThat(sink.record(event("s-2", true)).failed()).isTrue();
    assertThat(sink.dropped()).isEqualTo(1);

    assertThat(manual.completeNext()).isTrue(); // acknowledged while the queue is full: the gap round is queued anyway
    unstick.countDown();
    awaitTrue(() -> manual.history().size() == 4);
    while (manual.completeNext()) {
      // acknowledge everything sent
    }
    awaitTrue(() -> sink.gaps().gapsRecorded() == 1);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(VigilSerdes.events().decode(manual.history().get(3).value()).getSessionKey()).isEqualTo("s-2");
    assertThat(gaps(manual)).singleElement().satisfies(g -> assertThat(g.getEventsLost()).isEqualTo(1));
  }
}

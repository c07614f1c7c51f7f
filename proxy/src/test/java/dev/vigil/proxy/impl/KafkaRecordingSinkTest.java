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

import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The bounded queue in front of the Kafka producer: a full queue drops (and counts) events, traffic goes on. */
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
    assertThat(producer.history()).hasSize(3);
    assertThat(sink.record(event(9)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
    assertThat(producer.history()).hasSize(4);
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
}

package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

  private static ConsumerRecord<byte[], byte[]> record() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("vigil.events.v1", 2, 41L, 1_700_000_000_000L, TimestampType.CREATE_TIME, 3, 4,
        "key".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4}, headers, Optional.empty());
  }

  @Test
  void shouldSendTheOriginalBytesWithReasonAndCoordinates() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    AtomicLong counter = new AtomicLong();
    DeadLetterPublisher dlq = new DeadLetterPublisher(producer, "vigil.dlq.v1",
        new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), new Shutdown(), counter);

    dlq.publish(List.of(new DeadLetter(record(), DeadLetter.REJECTED, "400 mapper_parsing_exception: boom", "ev-1")));

    assertThat(producer.history()).hasSize(1);
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("vigil.dlq.v1");
    assertThat(sent.key()).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
    assertThat(sent.value()).containsExactly(1, 2, 3, 4);
    assertThat(header(sent, "vigil.dlq.reason")).isEqualTo("rejected: 400 mapper_parsing_exception: boom");
    assertThat(header(sent, "vigil.dlq.reason-code")).isEqualTo("rejected");
    assertThat(header(sent, "vigil.dlq.topic")).isEqualTo("vigil.events.v1");
    assertThat(header(sent, "vigil.dlq.partition")).isEqualTo("2");
    assertThat(header(sent, "vigil.dlq.offset")).isEqualTo("41");
    assertThat(header(sent, "vigil.dlq.event-id")).isEqualTo("ev-1");
    assertThat(header(sent, "traceparent")).isEqualTo("00-abc");
    assertThat(counter.get()).isEqualTo(1);
  }

  @Test
  void shouldRetryFailedSendsUntilTheyAreAcknowledged() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    AtomicLong counter = new AtomicLong();
    DeadLetterPublisher dlq = new DeadLetterPublisher(producer, "vigil.dlq.v1",
        new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), new Shutdown(), counter);
    Thread broker = new Thread(() -> {
      // the first attempt fails, the retry is acknowledged
      awaitHistory(producer, 1);
      while (!producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"))) {
        pause();
      }
      awaitHistory(producer, 2);
      while (!producer.completeNext()) {
        pause();
      }
    });
    broker.start();

    dlq.publish(List.of(new DeadLetter(record(), DeadLetter.UNDECODABLE, "not avro", null)));

    assertThat(counter.get()).isEqualTo(1);
    assertThat(producer.history()).hasSize(2);
    assertThat(producer.history().get(1).headers().lastHeader("vigil.dlq.event-id")).isNull();
  }

  @Test
  void shouldStopOnANonRetriableSendError() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterPublisher dlq = new DeadLetterPublisher(producer, "vigil.dlq.v1",
        new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), new Shutdown(), new AtomicLong());
    Thread broker = new Thread(() -> {
      awaitHistory(producer, 1);
      while (!producer.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("injected: too large"))) {
        pause();
      }
    });
    broker.start();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dlq.publish(
            List.of(new DeadLetter(record(), DeadLetter.UNDECODABLE, "not avro", null))))
        .isInstanceOf(IndexerFatalException.class)
        .hasMessageContaining("vigil.events.v1-2@41")
        .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
    assertThat(producer.history()).as("not retried").hasSize(1);
  }

  private static void awaitHistory(MockProducer<byte[], byte[]> producer, int size) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (producer.history().size() < size && System.currentTimeMillis() < deadline) {
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}

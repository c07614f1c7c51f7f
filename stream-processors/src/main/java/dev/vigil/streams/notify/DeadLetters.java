package dev.vigil.streams.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes give-ups to the dead-letter topic: the original key, value and headers, plus {@code vigil.dlq.reason}
 * ({@code <code>: <detail>}), {@code vigil.dlq.reason-code}, {@code vigil.dlq.topic}, {@code vigil.dlq.partition},
 * {@code vigil.dlq.offset}, {@code vigil.dlq.timestamp}, {@code vigil.dlq.component} ({@code vigil-notifier}) and, when
 * known, {@code vigil.dlq.alert-id} and {@code vigil.dlq.webhook} (the webhook's name, never its URL). Returns once every
 * record is acknowledged; retriable Kafka errors are retried with backoff, any other error is fatal (the poll is then not
 * committed and the notifier stops).
 */
final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final long ACK_WAIT_MILLIS = 5 * 60_000L;
  static final String COMPONENT = "vigil-notifier";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final RetryPolicy policy;
  private final Shutdown shutdown;
  private final Counters counters;

  DeadLetters(Producer<byte[], byte[]> producer, String topic, RetryPolicy policy, Shutdown shutdown, Counters counters) {
    this.producer = producer;
    this.topic = topic;
    this.policy = policy;
    this.shutdown = shutdown;
    this.counters = counters;
  }

  void publish(List<GiveUp> letters) {
    List<GiveUp> pending = letters;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      shutdown.checkOpen();
      List<Future<RecordMetadata>> futures = new ArrayList<>(pending.size());
      pending.forEach(letter -> futures.add(producer.send(toRecord(letter))));
      List<GiveUp> failed = new ArrayList<>();
      Throwable lastError = null;
      for (int i = 0; i < pending.size(); i++) {
        GiveUp letter = pending.get(i);
        Throwable error = await(futures.get(i));
        ConsumerRecord<byte[], byte[]> r = letter.record();
        if (error == null) {
          counters.deadLettered.incrementAndGet();
          LOG.warn("Sent {}-{}@{} (alert {}, webhook {}) to {}: {}", r.topic(), r.partition(), r.offset(), letter.alertId(),
              letter.webhook(), topic, letter.reasonCode());
        } else if (!retriable(error)) {
          throw new IllegalStateException("Kafka refused the dead letter for " + r.topic() + "-" + r.partition() + "@" + r.offset()
              + " on " + topic + " with a non-retriable error: " + error, error);
        } else {
          failed.add(letter);
          lastError = error;
        }
      }
      if (!failed.isEmpty()) {
        long delay = policy.delayMillis(attempt, -1);
        LOG.warn("{} of {} sends to {} failed (attempt {}), retrying in {} ms: {}", failed.size(), pending.size(), topic, attempt,
            delay, lastError);
        shutdown.sleep(delay);
      }
      pending = failed;
    }
  }

  private Throwable await(Future<RecordMetadata> future) {
    try {
      shutdown.await(future, ACK_WAIT_MILLIS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (TimeoutException e) {
      return new org.apache.kafka.common.errors.TimeoutException("no acknowledgement within " + ACK_WAIT_MILLIS + " ms", e);
    }
  }

  static boolean retriable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  ProducerRecord<byte[], byte[]> toRecord(GiveUp letter) {
    ConsumerRecord<byte[], byte[]> r = letter.record();
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!h.key().startsWith("vigil.dlq.")) {
        headers.add(h.key(), h.value());
      }
    }
    add(headers, "vigil.dlq.reason", letter.reason());
    add(headers, "vigil.dlq.reason-code", letter.reasonCode());
    add(headers, "vigil.dlq.topic", r.topic());
    add(headers, "vigil.dlq.partition", String.valueOf(r.partition()));
    add(headers, "vigil.dlq.offset", String.valueOf(r.offset()));
    add(headers, "vigil.dlq.timestamp", String.valueOf(r.timestamp()));
    add(headers, "vigil.dlq.component", COMPONENT);
    add(headers, "vigil.dlq.alert-id", letter.alertId());
    add(headers, "vigil.dlq.webhook", letter.webhook());
    return new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
  }

  private static void add(RecordHeaders headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}

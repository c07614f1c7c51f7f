package dev.vigil.indexer.impl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
 * Sends dead letters to the DLQ topic: the original key and value bytes and headers, plus
 * {@code vigil.dlq.reason}, {@code vigil.dlq.reason-code}, {@code vigil.dlq.topic}, {@code vigil.dlq.partition},
 * {@code vigil.dlq.offset}, {@code vigil.dlq.timestamp}, {@code vigil.dlq.component} and, when known, the document
 * id ({@code vigil.dlq.event-id}, {@code vigil.dlq.session-id} or {@code vigil.dlq.alert-id}). Returns only once every send is acknowledged; sends failing with a retriable Kafka error
 * are retried with backoff, any other send error (e.g. {@code RecordTooLargeException}, an authorization error) is an
 * {@link IndexerFatalException}: the record can neither be indexed nor dead-lettered, so the indexer stops uncommitted.
 */
final class DeadLetterPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
  static final int MAX_REASON_CHARS = 4000;

  public static final String H_REASON = "vigil.dlq.reason";
  public static final String H_REASON_CODE = "vigil.dlq.reason-code";
  public static final String H_TOPIC = "vigil.dlq.topic";
  public static final String H_PARTITION = "vigil.dlq.partition";
  public static final String H_OFFSET = "vigil.dlq.offset";
  public static final String H_TIMESTAMP = "vigil.dlq.timestamp";
  public static final String H_COMPONENT = "vigil.dlq.component";
  public static final String H_EVENT_ID = DeadLetter.EVENT_ID_HEADER;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Backoff backoff;
  private final Shutdown shutdown;
  private final AtomicLong deadLettered;

  DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, Backoff backoff, Shutdown shutdown,
      AtomicLong deadLettered) {
    this.producer = producer;
    this.topic = topic;
    this.backoff = backoff;
    this.shutdown = shutdown;
    this.deadLettered = deadLettered;
  }

  /**
   * Publishes all of {@code letters}; throws {@link ClosedException} if closed before all are acknowledged and
   * {@link IndexerFatalException} if Kafka refuses one for good.
   */
  void publish(List<DeadLetter> letters) {
    List<DeadLetter> pending = letters;
    int attempt = 0;
    while (!pending.isEmpty()) {
      shutdown.checkOpen();
      List<Future<RecordMetadata>> futures = new ArrayList<>(pending.size());
      List<Exception> sendErrors = new ArrayList<>(pending.size());
      for (DeadLetter letter : pending) {
        try {
          futures.add(producer.send(toRecord(letter)));
          sendErrors.add(null);
        } catch (RuntimeException e) {
          futures.add(null);
          sendErrors.add(e);
        }
      }
      List<DeadLetter> failed = new ArrayList<>();
      Exception lastError = null;
      IndexerFatalException fatal = null;
      for (int i = 0; i < pending.size(); i++) {
        DeadLetter letter = pending.get(i);
        Future<RecordMetadata> f = futures.get(i);
        Exception error = f == null ? sendErrors.get(i) : await(f);
        if (error == null) {
          deadLettered.incrementAndGet();
          ConsumerRecord<byte[], byte[]> r = letter.record();
          // the detail may quote document values: log only the code and the coordinates
          LOG.warn("Sent {}-{}@{} (id {}) to {}: {}", r.topic(), r.partition(), r.offset(), letter.documentId(), topic,
              letter.reasonCode());
        } else if (!retriable(error)) {
          ConsumerRecord<byte[], byte[]> r = letter.record();
          fatal = new IndexerFatalException("Kafka refused the DLQ record for " + r.topic() + "-" + r.partition() + "@"
              + r.offset() + " (" + letter.reasonCode() + ") with a non-retriable error: " + error, error);
        } else {
          failed.add(letter);
          lastError = error;
        }
      }
      if (fatal != null) {
        throw fatal;
      }
      if (!failed.isEmpty()) {
        attempt++;
        long delay = backoff.delayMillis(attempt);
        LOG.warn("{} of {} DLQ sends to {} failed (attempt {}), retrying in {} ms: {}", failed.size(), pending.size(), topic,
            attempt, delay, lastError == null ? "?" : lastError.toString());
        shutdown.sleep(delay);
      }
      pending = failed;
    }
  }

  /** Retriable Kafka errors (timeouts, leader changes, not enough replicas...) are worth sending again. */
  static boolean retriable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private Exception await(Future<RecordMetadata> f) {
    while (true) {
      if (shutdown.requested()) {
        throw new ClosedException();
      }
      try {
        f.get(200, TimeUnit.MILLISECONDS);
        return null;
      } catch (TimeoutException e) {
        // keep waiting; delivery.timeout.ms bounds it
      } catch (ExecutionException e) {
        return e.getCause() instanceof Exception cause ? cause : e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClosedException();
      }
    }
  }

  ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
    ConsumerRecord<byte[], byte[]> r = letter.record();
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!h.key().startsWith("vigil.dlq.")) {
        headers.add(h.key(), h.value());
      }
    }
    String reason = letter.reason();
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS) + "…";
    }
    headers.add(H_REASON, utf8(reason));
    headers.add(H_REASON_CODE, utf8(letter.reasonCode()));
    headers.add(H_TOPIC, utf8(r.topic()));
    headers.add(H_PARTITION, utf8(String.valueOf(r.partition())));
    headers.add(H_OFFSET, utf8(String.valueOf(r.offset())));
    headers.add(H_TIMESTAMP, utf8(String.valueOf(r.timestamp())));
    headers.add(H_COMPONENT, utf8("vigil-indexer"));
    if (letter.documentId() != null) {
      headers.add(letter.idHeader(), utf8(letter.documentId()));
    }
    return new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

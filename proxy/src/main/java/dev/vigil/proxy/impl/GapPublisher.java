package dev.vigil.proxy.impl;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.Vertx;

/**
 * Publishes the {@link GapTracker}'s pending losses as {@code RecordingGap} events once Kafka acknowledges again
 * ({@link #kafkaAcknowledged()}, called from every successful send callback of {@link KafkaRecordingSink}).
 *
 * <p>A <em>round</em> detaches at most {@value #MAX_GAPS_PER_ROUND} sessions' losses and sends one gap event each,
 * keyed by its session, through the sink's producer on the sink's sender thread (queued behind the events already
 * waiting, but outside the queue's bounds, so it is never dropped for a full queue). Each acknowledged gap forgets its
 * loss; each failed one is merged back into the tracker. At most one round is scheduled or in flight at a time, and
 * rounds start at most once per {@code intervalMillis}, so sustained losses yield at most one gap per session per
 * interval. After a round with at least one acknowledged gap, the next round follows if losses are still pending (what
 * did not fit, or was lost meanwhile); after a round that failed entirely, the next acknowledged send starts one.
 */
final class GapPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(GapPublisher.class);
  static final int MAX_GAPS_PER_ROUND = 1_000;
  /** At close, the rounds tried at most (each waits for its acknowledgements). */
  static final int MAX_CLOSING_ROUNDS = 20;

  private final Vertx vertx;
  private final GapTracker gaps;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Executor sender;
  private final long intervalMillis;
  private final AvroSerde<VigilEvent> serde = VigilSerdes.events();
  /** A round is scheduled, queued or in flight. */
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile long lastRoundNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
  /** Whether the last send Kafka answered was acknowledged. */
  private volatile boolean kafkaUp = true;

  GapPublisher(Vertx vertx, GapTracker gaps, Producer<String, byte[]> producer, String topic, Executor sender,
      long intervalMillis) {
    this.vertx = vertx;
    this.gaps = gaps;
    this.producer = producer;
    this.topic = topic;
    this.sender = sender;
    this.intervalMillis = intervalMillis;
  }

  /** Kafka acknowledged a send: start a round if losses are pending and none is running. Any thread. */
  void kafkaAcknowledged() {
    kafkaUp = true;
    if (!gaps.hasPending() || !busy.compareAndSet(false, true)) {
      return;
    }
    long wait = intervalMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRoundNanos);
    if (wait > 0) {
      try {
        vertx.setTimer(wait, id -> enqueueRound());
      } catch (RuntimeException e) {
        busy.set(false);
        LOG.warn("Could not schedule recording gap events (the next acknowledged send retries): {}", e.toString());
      }
    } else {
      enqueueRound();
    }
  }

  /** Kafka failed a send. Any thread. */
  void kafkaFailed() {
    kafkaUp = false;
  }

  /**
   * At close, on the closing thread once the sender thread has stopped and the producer was flushed: while Kafka is up
   * and losses are pending, publish rounds and wait for their acknowledgements. What is still pending afterwards stays
   * counted as unreported.
   */
  void lastRounds() {
    for (int i = 0; i < MAX_CLOSING_ROUNDS && kafkaUp && gaps.hasPending(); i++) {
      busy.set(true); // a timer that still fires finds the sender stopped and clears it: no concurrent round
      publishRound();
      producer.flush();
    }
  }

  private void enqueueRound() {
    try {
      sender.execute(this::publishRound);
    } catch (RejectedExecutionException e) {
      busy.set(false); // the sink is closing: lastRounds() publishes what is left
    }
  }

  /** On the sender thread (or the closing thread): one gap event per session with pending losses. */
  private void publishRound() {
    lastRoundNanos = System.nanoTime();
    List<SessionLoss> round = gaps.detach(MAX_GAPS_PER_ROUND);
    if (round.isEmpty()) {
      busy.set(false);
      return;
    }
    Round progress = new Round(round.size());
    for (SessionLoss loss : round) {
      try {
        VigilEvent gap = gaps.gapEvent(loss);
        producer.send(new ProducerRecord<>(topic, gap.getSessionKey(), serde.encode(gap)),
            (metadata, error) -> done(progress, loss, error));
      } catch (RuntimeException e) {
        done(progress, loss, e);
      }
    }
  }

  private void done(Round progress, SessionLoss loss, Exception error) {
    if (error == null) {
      gaps.acknowledged(loss);
      progress.acknowledged.incrementAndGet();
    } else {
      kafkaUp = false;
      gaps.restore(loss);
      progress.failure = error;
    }
    if (progress.remaining.decrementAndGet() > 0) {
      return;
    }
    int acked = progress.acknowledged.get();
    if (acked > 0) {
      LOG.info("Recorded {} recording gap event(s); {} lost events not yet reported", acked, gaps.eventsUnreported());
    }
    if (progress.failure != null) {
      LOG.warn("Could not record {} recording gap event(s), kept for a later round: {}", progress.total - acked,
          progress.failure.toString());
    }
    busy.set(false);
    if (acked > 0) {
      kafkaAcknowledged(); // Kafka is up: publish what did not fit this round or was lost meanwhile
    }
  }

  /** Progress of one round. */
  private static final class Round {
    final int total;
    final AtomicInteger remaining;
    final AtomicInteger acknowledged = new AtomicInteger();
    volatile Exception failure;

    Round(int total) {
      this.total = total;
      this.remaining = new AtomicInteger(total);
    }
  }
}

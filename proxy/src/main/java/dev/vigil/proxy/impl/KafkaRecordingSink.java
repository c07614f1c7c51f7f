package dev.vigil.proxy.impl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.ConfigException;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RecordingSink;
import dev.vigil.schema.GapReason;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Publishes events to Kafka: key = session key (one session stays ordered in one partition), value = the Avro
 * single-object encoding of {@link VigilEvent}. {@code send} runs on one dedicated thread — never on an event loop,
 * since it can block on metadata or on a full producer buffer — which also keeps the order of calls. The queue in
 * front of it is bounded in events ({@code recording.queue.max-events}) and in serialized bytes
 * ({@code recording.queue.max-bytes}): when either is reached the event is dropped — its future fails with
 * {@link QueueFullException} and {@link #dropped()} counts it — and traffic goes on (best effort: a chatty stream
 * cannot exhaust the heap). The future completes when the broker acknowledged.
 *
 * <p>Losses are not silent: every dropped event and every event the producer failed (e.g. delivery timeout while the
 * broker is down) is counted per session by a {@link GapTracker}. Once Kafka acknowledges a send again, one
 * {@code RecordingGap} event per affected session is published through the same producer (keyed by its session, at
 * most one round per {@code gapIntervalMillis}, see {@link GapPublisher}); a loss is forgotten only when its gap event
 * was acknowledged, otherwise it is published with the next round. Gap events bypass the queue bounds (one round of
 * at most {@value GapPublisher#MAX_GAPS_PER_ROUND} events is queued at a time), so a full queue cannot drop them.
 */
public final class KafkaRecordingSink implements RecordingSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordingSink.class);
  static final int DEFAULT_MAX_EVENTS = 10_000;
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  static final long DEFAULT_GAP_INTERVAL_MILLIS = 1_000;

  /** The event was dropped: the queue towards Kafka is full. */
  public static final class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    QueueFullException(String message) {
      super(message);
    }
  }

  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final AvroSerde<VigilEvent> serde = VigilSerdes.events();
  private final ThreadPoolExecutor sender;
  private final int maxEvents;
  private final long maxBytes;
  private final AtomicInteger queuedEvents = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final GapTracker gaps;
  private final GapPublisher gapPublisher;

  /** A sink for tests: gateway id {@code vigil-proxy}, gap events numbered per sink. */
  public KafkaRecordingSink(Vertx vertx, Producer<String, byte[]> producer, String topic) {
    this(vertx, producer, topic, DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES);
  }

  /** A sink for tests: gateway id {@code vigil-proxy}, gap events numbered per sink. */
  public KafkaRecordingSink(Vertx vertx, Producer<String, byte[]> producer, String topic, int maxEvents, long maxBytes) {
    this(vertx, producer, topic, maxEvents, maxBytes, new GapTracker("vigil-proxy", GapTracker.DEFAULT_MAX_SESSIONS,
        counter(), System::currentTimeMillis), 0);
  }

  KafkaRecordingSink(Vertx vertx, Producer<String, byte[]> producer, String topic, int maxEvents, long maxBytes,
      GapTracker gaps, long gapIntervalMillis) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.gaps = gaps;
    // Unbounded executor queue: the event bound is enforced by queuedEvents, so that gap rounds can bypass it.
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "vigil-kafka-sender");
      t.setDaemon(true);
      return t;
    });
    this.gapPublisher = new GapPublisher(vertx, gaps, producer, topic, sender, gapIntervalMillis);
  }

  private static ToLongFunction<String> counter() {
    AtomicLong next = new AtomicLong();
    return session -> next.getAndIncrement();
  }

  /** Producer settings: Vigil's defaults, then the {@code vigil.proxy.kafka.producer.*} passthrough, then the serializers. */
  static Map<String, Object> producerConfig(Map<String, Object> passthrough) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-proxy");
    // Kafka 4's default linger (5 ms) is added to every strict call, which waits for its RequestReceived to be
    // acknowledged before forwarding; under load, records still batch behind the in-flight requests.
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    config.putAll(passthrough);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    if (config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
      throw new ConfigException("Missing required setting " + ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers");
    }
    return config;
  }

  /**
   * Creates the producer (off the event loop) for {@code config}; gap events carry the gateway id and the next
   * sequence number of their session from {@code sequencer}.
   */
  static Future<KafkaRecordingSink> create(Vertx vertx, ProxyConfig config, ToLongFunction<String> sequencer) {
    Map<String, Object> producerConfig;
    try {
      producerConfig = producerConfig(config.kafkaProducer());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    GapTracker gaps = new GapTracker(config.gatewayId(), GapTracker.DEFAULT_MAX_SESSIONS, sequencer,
        System::currentTimeMillis);
    return vertx.executeBlocking(() -> new KafkaRecordingSink(vertx,
        new KafkaProducer<String, byte[]>(producerConfig), config.eventsTopic(), config.recordingQueueMaxEvents(),
        config.recordingQueueMaxBytes(), gaps, DEFAULT_GAP_INTERVAL_MILLIS), false);
  }

  @Override
  public Future<Void> record(VigilEvent event) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    byte[] value;
    try {
      value = serde.encode(event);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getSessionKey(), value);
    long size = value.length;
    if (queuedBytes.addAndGet(size) > maxBytes) {
      queuedBytes.addAndGet(-size);
      return drop(event, size, "Kafka send queue holds " + maxBytes + " bytes already");
    }
    if (queuedEvents.incrementAndGet() > maxEvents) {
      queuedEvents.decrementAndGet();
      queuedBytes.addAndGet(-size);
      return drop(event, size, "Kafka send queue holds " + maxEvents + " events already");
    }
    try {
      sender.execute(() -> {
        queuedEvents.decrementAndGet();
        queuedBytes.addAndGet(-size);
        try {
          producer.send(record, (metadata, error) -> {
            if (error == null) {
              gapPublisher.kafkaAcknowledged();
            } else {
              failed(event, size);
            }
            context.runOnContext(v -> {
              if (error == null) {
                promise.tryComplete();
              } else {
                promise.tryFail(error);
              }
            });
          });
        } catch (RuntimeException e) {
          failed(event, size);
          context.runOnContext(v -> promise.tryFail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      queuedEvents.decrementAndGet();
      queuedBytes.addAndGet(-size);
      return Future.failedFuture(new IllegalStateException("Kafka sink is closed"));
    }
    return promise.future();
  }

  private Future<Void> drop(VigilEvent event, long size, String why) {
    dropped.incrementAndGet();
    gaps.lost(event, size, GapReason.QUEUE_FULL);
    return Future.failedFuture(new QueueFullException("event dropped: " + why));
  }

  private void failed(VigilEvent event, long size) {
    gapPublisher.kafkaFailed();
    gaps.lost(event, size, GapReason.SEND_FAILED);
  }

  /** Events dropped because the queue towards Kafka was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Losses and the gap events reporting them. */
  GapTracker gaps() {
    return gaps;
  }

  /** Serialized bytes waiting for the sender thread. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /** Events waiting for the sender thread. */
  int queuedEvents() {
    return queuedEvents.get();
  }

  /** The producer, for its client metrics. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      sender.shutdown();
      sender.awaitTermination(30, TimeUnit.SECONDS);
      producer.flush();
      gapPublisher.lastRounds(); // on this thread: the sender is gone
      if (gaps.eventsUnreported() > 0) {
        LOG.warn("Kafka sink closed with {} lost events not reported by a recording gap", gaps.eventsUnreported());
      }
      producer.close(Duration.ofSeconds(10));
      return null;
    }, false);
  }
}

package dev.vigil.proxy.impl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.common.ConfigException;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RecordingSink;
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
 */
public final class KafkaRecordingSink implements RecordingSink {

  static final int DEFAULT_MAX_EVENTS = 10_000;
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

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
  private final long maxBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public KafkaRecordingSink(Vertx vertx, Producer<String, byte[]> producer, String topic) {
    this(vertx, producer, topic, DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES);
  }

  public KafkaRecordingSink(Vertx vertx, Producer<String, byte[]> producer, String topic, int maxEvents, long maxBytes) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
    this.maxBytes = maxBytes;
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxEvents), r -> {
      Thread t = new Thread(r, "vigil-kafka-sender");
      t.setDaemon(true);
      return t;
    });
  }

  /** Producer settings: Vigil's defaults, then the {@code vigil.proxy.kafka.producer.*} passthrough, then the serializers. */
  static Map<String, Object> producerConfig(Map<String, Object> passthrough) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-proxy");
    config.putAll(passthrough);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    if (config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
      throw new ConfigException("Missing required setting " + ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers");
    }
    return config;
  }

  /** Creates the producer (off the event loop) for {@code config}. */
  static Future<KafkaRecordingSink> create(Vertx vertx, ProxyConfig config) {
    Map<String, Object> producerConfig;
    try {
      producerConfig = producerConfig(config.kafkaProducer());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> new KafkaRecordingSink(vertx,
        new KafkaProducer<String, byte[]>(producerConfig), config.eventsTopic(), config.recordingQueueMaxEvents(),
        config.recordingQueueMaxBytes()), false);
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
      return drop("Kafka send queue holds " + maxBytes + " bytes already");
    }
    try {
      sender.execute(() -> {
        queuedBytes.addAndGet(-size);
        try {
          producer.send(record, (metadata, error) -> context.runOnContext(v -> {
            if (error == null) {
              promise.tryComplete();
            } else {
              promise.tryFail(error);
            }
          }));
        } catch (RuntimeException e) {
          context.runOnContext(v -> promise.tryFail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      queuedBytes.addAndGet(-size);
      return sender.isShutdown()
          ? Future.failedFuture(new IllegalStateException("Kafka sink is closed"))
          : drop("Kafka send queue holds " + sender.getQueue().size() + " events already");
    }
    return promise.future();
  }

  private Future<Void> drop(String why) {
    dropped.incrementAndGet();
    return Future.failedFuture(new QueueFullException("event dropped: " + why));
  }

  /** Events dropped because the queue towards Kafka was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Serialized bytes waiting for the sender thread. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      sender.shutdown();
      sender.awaitTermination(30, TimeUnit.SECONDS);
      producer.flush();
      producer.close(Duration.ofSeconds(10));
      return null;
    }, false);
  }
}

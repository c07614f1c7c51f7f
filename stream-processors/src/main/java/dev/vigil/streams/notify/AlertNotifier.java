package dev.vigil.streams.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.ConfigException;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * Posts the alerts of {@code vigil.alerts.v1} to the configured webhooks. One poll thread (consumer group
 * {@code vigil-notifier}): check the dead-letter topic → subscribe → poll → decode → deliver to every webhook (one thread
 * per webhook, so a slow receiver does not delay the others' deliveries) → dead-letter the give-ups → commit exactly the
 * polled offsets. At least once: offsets are committed only after every webhook of the polled alerts was delivered or
 * given up (and the give-ups are acknowledged by the dead-letter topic); a close or crash before that means the poll is
 * consumed again. Fatal errors (a non-retriable Kafka error, a missing dead-letter topic) end the thread and complete
 * {@link #terminated()} exceptionally.
 *
 * <pre>{@code
 * NotifierSettings s = NotifierSettings.from(settings);
 * if (s.hasWebhooks()) { AlertNotifier n = AlertNotifier.start(s); ...; n.close(); }
 * }</pre>
 */
public final class AlertNotifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final Duration CLOSING_COMMIT_TIMEOUT = Duration.ofSeconds(2);
  private static final long BATCH_WAIT_MILLIS = Duration.ofDays(1).toMillis();

  private final NotifierSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Shutdown shutdown = new Shutdown();
  private final Counters counters = new Counters();
  private final RetryPolicy policy;
  private final List<WebhookDelivery> deliveries = new ArrayList<>();
  private final DeadLetters deadLetters;
  private final ExecutorService workers;
  private final Map<TopicPartition, Long> blocked = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  AlertNotifier(NotifierSettings settings, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
    requireWebhooks(settings);
    this.settings = settings;
    this.consumer = consumer;
    this.producer = producer;
    this.policy = new RetryPolicy(settings.initialBackoff(), settings.maxBackoff());
    WebhookClient client = new WebhookClient(settings.timeout(), shutdown);
    settings.webhooks().forEach(w -> deliveries.add(new WebhookDelivery(w, client, policy, settings.maxAttempts(),
        settings.dedupeMaxEntries(), shutdown, counters)));
    this.deadLetters = new DeadLetters(producer, settings.dlqTopic(), policy, shutdown, counters);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(deliveries.size(), r -> {
      Thread t = new Thread(r, "vigil-notifier-webhook-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::run, "vigil-notifier-" + settings.groupId());
  }

  /** Creates the Kafka clients and starts the poll thread; returns at once (see {@link #ready()}). */
  public static AlertNotifier start(NotifierSettings settings) {
    requireWebhooks(settings);
    LOG.info("Starting alert notifier: {}", settings);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings.consumerProperties());
    KafkaProducer<byte[], byte[]> producer = null;
    try {
      producer = new KafkaProducer<>(settings.producerProperties());
      AlertNotifier notifier = new AlertNotifier(settings, consumer, producer);
      notifier.thread.start();
      return notifier;
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      if (producer != null) {
        producer.close(Duration.ZERO);
      }
      throw e;
    }
  }

  private static void requireWebhooks(NotifierSettings settings) {
    if (!settings.hasWebhooks()) {
      throw new ConfigException("No webhook configured (" + NotifierSettings.WEBHOOKS + "<name>.url): nothing to notify");
    }
  }

  /** Completes once the dead-letter topic was found and the consumer subscribed; fails if the notifier stopped first. */
  public CompletionStage<Void> ready() {
    return ready;
  }

  /** Completes when the poll thread ended: normally after {@link #close()}, exceptionally on a fatal error. */
  public CompletionStage<Void> terminated() {
    return terminated;
  }

  public NotifierStats stats() {
    List<String> paused = new ArrayList<>();
    blocked.forEach((tp, offset) -> paused.add(tp + "@" + offset));
    paused.sort(null);
    return counters.snapshot(paused);
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Stops within seconds: cuts backoff sleeps and in-flight requests; a poll not fully handled is not committed. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOG.info("Closing alert notifier");
      shutdown.signal();
      consumer.wakeup();
    }
    try {
      thread.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("Alert notifier thread still running {} after close()", CLOSE_WAIT);
    }
  }

  private void run() {
    try {
      DlqTopicCheck.run(settings, policy, shutdown);
      consumer.subscribe(List.of(settings.topic()), new Unblock());
      ready.complete(null);
      LOG.info("Alert notifier subscribed to {} (group {}), {} webhook(s)", settings.topic(), settings.groupId(), deliveries.size());
      var serde = VigilSerdes.alerts();
      while (!shutdown.requested()) {
        ConsumerRecords<byte[], byte[]> records = poll();
        if (records.isEmpty()) {
          continue;
        }
        AlertBatch batch = AlertBatch.decode(records, serde);
        block(batch.blocked().values());
        List<GiveUp> giveUps = new ArrayList<>(batch.undecodable());
        counters.gaveUp.addAndGet(batch.undecodable().size());
        batch.undecodable().forEach(g -> LOG.error("Record {}-{}@{} is not an alert, not delivered: {}", g.record().topic(),
            g.record().partition(), g.record().offset(), g.reason()));
        giveUps.addAll(deliver(batch.alerts()));
        deadLetters.publish(giveUps);
        commit(batch);
      }
    } catch (Shutdown.Closed | WakeupException e) {
      LOG.debug("Alert notifier poll loop closing");
    } catch (RuntimeException e) {
      LOG.error("Alert notifier stopped on a fatal error; nothing after the last committed poll was committed", e);
      ready.completeExceptionally(e);
      terminated.completeExceptionally(e);
    } finally {
      workers.shutdownNow();
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
      producer.close(Duration.ofSeconds(2));
      ready.completeExceptionally(new IllegalStateException("The alert notifier stopped before it was ready"));
      terminated.complete(null);
      LOG.info("Alert notifier stopped: {}", stats());
    }
  }

  private ConsumerRecords<byte[], byte[]> poll() {
    for (int attempt = 1; ; attempt++) {
      try {
        return consumer.poll(POLL_TIMEOUT);
      } catch (RetriableException e) {
        long delay = policy.delayMillis(attempt, -1);
        LOG.warn("Poll failed (attempt {}), retrying in {} ms: {}", attempt, delay, e.toString());
        shutdown.sleep(delay);
      }
    }
  }

  /** Runs every webhook's deliveries in parallel and waits for all of them. */
  private List<GiveUp> deliver(List<AlertBatch.Polled> alerts) {
    if (alerts.isEmpty()) {
      return List.of();
    }
    List<Future<List<GiveUp>>> futures = new ArrayList<>();
    deliveries.forEach(d -> futures.add(workers.submit(() -> d.deliver(alerts))));
    List<GiveUp> out = new ArrayList<>();
    try {
      for (Future<List<GiveUp>> f : futures) {
        out.addAll(shutdown.await(f, BATCH_WAIT_MILLIS));
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Shutdown.Closed closing) {
        throw closing;
      }
      throw new IllegalStateException("A webhook delivery failed unexpectedly: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Webhook deliveries did not finish within a day", e);
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    return out;
  }

  private void block(Collection<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      consumer.pause(List.of(tp));
      if (blocked.put(tp, r.offset()) == null) {
        LOG.error("Alert {}@{} was written with a schema this notifier does not know (a newer Vigil wrote it): partition "
            + "paused there, nothing from it on is delivered or committed; upgrade the notifier", tp, r.offset());
      }
    }
  }

  /** Commits the poll's offsets; after a rebalance the poll is consumed again (ids already delivered are skipped). */
  private void commit(AlertBatch batch) {
    if (batch.offsets().isEmpty()) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        consumer.commitSync(batch.offsets());
        counters.committedBatches.incrementAndGet();
        return;
      } catch (WakeupException e) {
        commitWhileClosing(batch);
        throw e;
      } catch (CommitFailedException | RebalanceInProgressException e) {
        LOG.warn("Offset commit failed after a rebalance; the poll will be consumed again: {}", e.toString());
        return;
      } catch (RetriableException e) {
        long delay = policy.delayMillis(attempt, -1);
        LOG.warn("Offset commit failed (attempt {}), retrying in {} ms: {}", attempt, delay, e.toString());
        shutdown.sleep(delay);
      }
    }
  }

  /** close() woke the consumer after the poll was fully handled: commit it still, briefly. */
  private void commitWhileClosing(AlertBatch batch) {
    try {
      consumer.commitSync(batch.offsets(), CLOSING_COMMIT_TIMEOUT);
      counters.committedBatches.incrementAndGet();
    } catch (KafkaException e) {
      LOG.warn("Offset commit while closing failed; the poll will be consumed again: {}", e.toString());
    }
  }

  /** A partition blocked at an unknown schema is paused; once it is revoked, whoever gets it starts again there. */
  private final class Unblock implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(blocked::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // nothing to do: a partition blocked before starts at its committed offset, the blocking record, and blocks again
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(blocked::remove);
    }
  }
}

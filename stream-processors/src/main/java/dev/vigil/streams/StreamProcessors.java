package dev.vigil.streams;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code vigil stream-processors} service: checks the topics, then runs {@link VigilStreams}'s topology in one
 * {@link KafkaStreams} client. State transitions are logged at INFO.
 *
 * <p><b>A failing stream thread shuts the whole client down</b> ({@code SHUTDOWN_CLIENT}) and {@link #terminated()}
 * completes exceptionally; the command exits non-zero so the supervisor restarts it (with its own backoff). Replacing
 * the thread ({@code REPLACE_THREAD}) would re-read the same uncommitted record and fail again in a loop, and a
 * session's hash chain cannot skip the record. Errors Kafka Streams recovers from itself (rebalances, fenced
 * producers, task migration) never reach this handler; poison records go to the DLQ and never get here either.
 */
public final class StreamProcessors implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamProcessors.class);

  private final StreamsSettings settings;
  private final KafkaStreams streams;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private KafkaStreamsMetrics metrics;

  private StreamProcessors(StreamsSettings settings, KafkaStreams streams) {
    this.settings = settings;
    this.streams = streams;
  }

  /**
   * Checks that the topics exist (IllegalStateException naming them otherwise), loads the signing key
   * (ConfigException naming the key on failure) and starts the application. Returns at once; see {@link #ready()}.
   */
  public static StreamProcessors start(StreamsSettings settings) {
    Topology topology = VigilStreams.buildTopology(settings);
    TopicCheck.verify(settings);
    LOG.debug("Topology:\n{}", topology.describe());
    StreamProcessors sp = new StreamProcessors(settings, new KafkaStreams(topology, VigilStreams.streamsConfig(settings)));
    sp.streams.setStateListener(sp::onStateChange);
    sp.streams.setUncaughtExceptionHandler(sp::onUncaughtException);
    sp.metrics = StreamsMetrics.bind(sp.streams);
    sp.streams.start();
    return sp;
  }

  /** Completes when the client first reaches RUNNING; fails if it stops or fails first. */
  public CompletionStage<Void> ready() {
    return ready;
  }

  /**
   * Completes once the client stopped: normally after {@link #close()}, exceptionally with the cause when a stream
   * thread failed and the client shut itself down (state ERROR).
   */
  public CompletionStage<Void> terminated() {
    return terminated;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
    LOG.info("Kafka Streams {}: {} -> {}", settings.applicationId(), before, now);
    if (now == KafkaStreams.State.RUNNING) {
      ready.complete(null);
    } else if (now == KafkaStreams.State.ERROR) {
      Throwable cause = failure.get() != null ? failure.get()
          : new IllegalStateException("Kafka Streams " + settings.applicationId() + " entered ERROR");
      ready.completeExceptionally(cause);
      terminated.completeExceptionally(cause);
    } else if (now == KafkaStreams.State.NOT_RUNNING) {
      ready.completeExceptionally(new IllegalStateException("Kafka Streams stopped before it was running"));
      terminated.complete(null);
    }
  }

  private StreamThreadExceptionResponse onUncaughtException(Throwable e) {
    failure.compareAndSet(null, e);
    LOG.error("A stream thread of {} failed; shutting this client down (SHUTDOWN_CLIENT): {}", settings.applicationId(),
        e.toString(), e);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /** Stops the client within {@code vigil.streams.close-timeout}, committing what was processed. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!streams.close(CloseOptions.timeout(settings.closeTimeout()))) {
      LOG.warn("Kafka Streams {} did not stop within {}", settings.applicationId(), settings.closeTimeout());
    }
    metrics.close();
    terminated.complete(null);
  }
}

package dev.vigil.streams;

import org.apache.kafka.streams.KafkaStreams;

import dev.vigil.ops.VigilMetrics;
import dev.vigil.schema.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The stream processors' meters in {@link VigilMetrics#registry()}: records decoded, sent to the DLQ and alerts raised
 * ({@code vigil_streams_*}), counted by {@code peek} nodes of the topology, plus Kafka Streams' own client metrics.
 * Counts are per processing attempt: a task retried under exactly-once may count a record again.
 */
final class StreamsMetrics {

  static final String RECORDS = "vigil.streams.records";
  static final String ALERTS = "vigil.streams.alerts";

  private StreamsMetrics() {}

  /** One record of the events topic, by outcome: {@code ok} (decoded) or {@code dlq} (sent to the DLQ). */
  static void record(String outcome) {
    Counter.builder(RECORDS).tag("outcome", outcome).description("Records of the events topic processed")
        .register(VigilMetrics.registry()).increment();
  }

  /** One alert raised (and stamped into its session's chain), by detector. */
  static void alert(Alert alert) {
    Counter.builder(ALERTS).tag("type", alert.getType()).description("Alerts raised, by detector")
        .register(VigilMetrics.registry()).increment();
  }

  /** Binds Kafka Streams' client metrics; close the result when the client stops. */
  static KafkaStreamsMetrics bind(KafkaStreams streams) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(VigilMetrics.registry());
    return metrics;
  }
}

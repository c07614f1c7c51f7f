package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.vigil.ops.VigilMetrics;
import dev.vigil.schema.Channel;
import dev.vigil.schema.PolicyDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The gateway's meters in {@link VigilMetrics#registry()}, exposed as {@code vigil_proxy_*}. The counters the gateway
 * already keeps for {@code /vigil/status} are read by function counters and gauges, not counted twice; the meters of
 * one gateway are removed when it stops.
 */
final class ProxyMetrics implements AutoCloseable {

  static final String DECISIONS = "vigil.proxy.decisions";
  static final String RECORDING_ACK = "vigil.proxy.recording.ack";

  private final MeterRegistry registry = VigilMetrics.registry();
  private final List<Meter> meters = new ArrayList<>();
  private final KafkaClientMetrics kafkaMetrics;

  ProxyMetrics(String gatewayId, CountingSink sink, SessionKeys sessions, StrictRecording strict, CallRecorder recorder) {
    Tags tags = Tags.of("gateway", gatewayId);
    counter("vigil.proxy.events.recorded", tags, sink, CountingSink::recorded, "Events the recording sink stored");
    counter("vigil.proxy.events.failed", tags, sink, CountingSink::failed, "Events the recording sink failed to store");
    counter("vigil.proxy.calls.not.recorded", tags, recorder, CallRecorder::notRecorded,
        "Calls a policy rule said not to record");
    counter("vigil.proxy.strict.refused", tags, strict, StrictRecording::refused,
        "Calls refused because strict recording was not acknowledged in time");
    meters.add(Gauge.builder("vigil.proxy.sessions.tracked", sessions, SessionKeys::tracked).tags(tags)
        .description("Sessions the gateway keeps a sequence for").register(registry));
    KafkaRecordingSink kafka = sink.kafka();
    if (kafka != null) {
      counter("vigil.proxy.events.dropped", tags, kafka, KafkaRecordingSink::dropped,
          "Events dropped because the queue towards Kafka was full");
      counter("vigil.proxy.events.lost", tags, kafka, k -> k.gaps().eventsLost(), "Events lost on the way to Kafka");
      counter("vigil.proxy.gaps.recorded", tags, kafka, k -> k.gaps().gapsRecorded(), "Recording gap events published");
      meters.add(Gauge.builder("vigil.proxy.recording.queue.events", kafka, KafkaRecordingSink::queuedEvents)
          .tags(tags).description("Events waiting for the Kafka sender thread").register(registry));
      meters.add(Gauge.builder("vigil.proxy.recording.queue.bytes", kafka, KafkaRecordingSink::queuedBytes)
          .tags(tags).description("Serialized bytes waiting for the Kafka sender thread").register(registry));
      kafkaMetrics = new KafkaClientMetrics(kafka.producer(), tags);
      kafkaMetrics.bindTo(registry);
    } else {
      kafkaMetrics = null;
    }
  }

  private <T> void counter(String name, Tags tags, T source, java.util.function.ToDoubleFunction<T> f, String help) {
    meters.add(FunctionCounter.builder(name, source, f).tags(tags).description(help).register(registry));
  }

  /**
   * One call's decision, by channel, effect and deciding rule ({@code default} when no rule matched; the gateway's
   * own refusals name theirs, e.g. {@code authentication}).
   */
  static void decision(Channel channel, PolicyDecision decision) {
    String rule = decision.getRuleId() == null ? "default" : decision.getRuleId();
    Counter.builder(DECISIONS).tags("channel", channel.name().toLowerCase(Locale.ROOT),
        "effect", decision.getEffect().name().toLowerCase(Locale.ROOT), "rule", rule).description("Policy decisions").register(VigilMetrics.registry()).increment();
  }

  /** How long the recording sink took to acknowledge (or fail) one event. */
  static void recordingAck(boolean ok, long nanos) {
    Timer.builder(RECORDING_ACK).tag("outcome", ok ? "ok" : "failed")
        .description("Time from handing an event to the recording sink to its acknowledgement")
        .register(VigilMetrics.registry()).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (kafkaMetrics != null) {
      kafkaMetrics.close();
    }
    meters.forEach(registry::remove);
    meters.clear();
  }
}

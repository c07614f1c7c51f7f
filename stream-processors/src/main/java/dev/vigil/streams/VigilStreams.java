package dev.vigil.streams;

import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import dev.vigil.schema.Alert;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.detect.Detectors;
import dev.vigil.streams.session.DigestSigner;
import dev.vigil.streams.session.Ed25519Signer;
import dev.vigil.streams.session.SessionInput;
import dev.vigil.streams.session.SessionOutput;
import dev.vigil.streams.session.Sessionizer;

/**
 * The Kafka Streams application: decode → DLQ | dedupe → detectors and sessionizer (see stream-processors/README.md).
 * {@link #buildTopology} and {@link #streamsConfig} are what the service runs and what tests hand to
 * {@code TopologyTestDriver}.
 */
public final class VigilStreams {

  private VigilStreams() {}

  /** The topology with the real detectors ({@link Detectors#build}) and the signer from the configured key file. */
  public static Topology buildTopology(StreamsSettings s) {
    return buildTopology(s, events -> Detectors.build(events, s.detectors()),
        Ed25519Signer.fromFile(StreamsSettings.SIGNING_KEY_FILE, s.signingKeyFile(), s.signingKeyId()));
  }

  /**
   * The topology with other detectors (tests; the function receives the de-duplicated events keyed by session key
   * and must return alerts keyed by session key, co-partitioned with them) and signer.
   */
  public static Topology buildTopology(StreamsSettings s,
      Function<KStream<String, VigilEvent>, KStream<String, Alert>> detectors, DigestSigner signer) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Deduplicator.storeBuilder());
    builder.addStateStore(Sessionizer.storeBuilder());

    Map<String, KStream<String, Decoded>> decoded = builder
        .stream(s.eventsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("events"))
        .processValues(() -> new Decoder(s.unknownSchema(), s.dlqTopic()), Named.as("decode"))
        .split(Named.as("decoded-"))
        .branch((k, v) -> v.isPoison(), Branched.as("poison"))
        .defaultBranch(Branched.as("ok"));
    decoded.get("decoded-poison")
        .peek((k, v) -> StreamsMetrics.record("dlq"), Named.as("count-poison"))
        .mapValues(Decoded::poison, Named.as("poison-bytes"))
        .to(s.dlqTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dlq"));

    KStream<String, SessionInput> deduped = decoded.get("decoded-ok")
        .peek((k, v) -> StreamsMetrics.record("ok"), Named.as("count-ok"))
        .mapValues(Decoded::event, Named.as("raw-events"))
        .processValues(() -> new Deduplicator(s.dedupeRetention(), s.dedupePurgeInterval()), Named.as("dedupe"),
            Deduplicator.STORE);
    // Created before the detectors' branch so that, within one task, the sessionizer sees an event before any alert
    // a synchronous detector raises from it (children are visited in the order they were added).
    KStream<String, SessionInput> toSessionizer = deduped.filter((k, v) -> true, Named.as("session-events"));
    KStream<String, VigilEvent> events = deduped
        .filter((k, v) -> v.isNewEvent(), Named.as("new-events"))
        .mapValues(v -> v.event().event(), Named.as("detector-events"));
    KStream<String, SessionInput> alerts = detectors.apply(events)
        .mapValues(SessionInput::alert, Named.as("alerts-to-stamp"));

    Map<String, KStream<String, SessionOutput>> out = toSessionizer
        .merge(alerts, Named.as("session-inputs"))
        .process(() -> new Sessionizer(s.session(), signer), Named.as("sessionizer"), Sessionizer.STORE)
        .split(Named.as("session-out-"))
        .branch((k, v) -> v.isSummary(), Branched.as("summaries"))
        .defaultBranch(Branched.as("alerts"));
    out.get("session-out-summaries")
        .mapValues(SessionOutput::summary, Named.as("summaries"))
        .to(s.sessionsTopic(), Produced.with(Serdes.String(), VigilSerdes.sessions()).withName("sessions"));
    out.get("session-out-alerts")
        .mapValues(SessionOutput::alert, Named.as("stamped-alerts"))
        .peek((k, v) -> StreamsMetrics.alert(v), Named.as("count-alerts"))
        .to(s.alertsTopic(), Produced.with(Serdes.String(), VigilSerdes.alerts()).withName("alerts"));
    return builder.build();
  }

  /** The Kafka Streams properties: {@code vigil.streams.kafka.*} with the defaults of {@link StreamsSettings}. */
  public static Properties streamsConfig(StreamsSettings s) {
    Properties p = new Properties();
    p.putAll(s.kafka());
    return p;
  }
}

package dev.vigil.streams.detect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * A tiny topology around {@link Detectors#build}: {@code vigil.events.v1} (String key, VigilSerdes value) → detectors →
 * {@code vigil.alerts.v1}, run by a {@link TopologyTestDriver} (internal repartition topics included).
 */
final class DetectorHarness implements AutoCloseable {

  final Topology topology;
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, VigilEvent> events;
  private final TestOutputTopic<String, Alert> alerts;

  DetectorHarness(DetectorSettings settings) {
    StreamsBuilder builder = new StreamsBuilder();
    Detectors.build(builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), VigilSerdes.events())), settings)
        .to(Topics.ALERTS, Produced.with(Serdes.String(), VigilSerdes.alerts()));
    topology = builder.build();
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-streams-detect-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      stateDir = Files.createTempDirectory("vigil-detect-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(topology, p);
    events = driver.createInputTopic(Topics.EVENTS, Serdes.String().serializer(), VigilSerdes.events().serializer());
    alerts = driver.createOutputTopic(Topics.ALERTS, Serdes.String().deserializer(),
        VigilSerdes.alerts().deserializer());
  }

  /** Pipes events keyed by their session key, with the record timestamp = the event's time. */
  DetectorHarness pipe(VigilEvent... es) {
    for (VigilEvent e : es) {
      events.pipeInput(e.getSessionKey(), e, e.getTime());
    }
    return this;
  }

  /** Pipes an event with a record timestamp unrelated to its event time (a producer's clock, a log-append time). */
  DetectorHarness pipeWithRecordTime(VigilEvent e, long recordTimestamp) {
    events.pipeInput(e.getSessionKey(), e, recordTimestamp);
    return this;
  }

  /** The alerts emitted since the last call, with their keys. */
  List<KeyValue<String, Alert>> keyedAlerts() {
    return alerts.readKeyValuesToList();
  }

  /** The alerts emitted since the last call; also checks that each is keyed by its session key. */
  List<Alert> alerts() {
    List<KeyValue<String, Alert>> kvs = keyedAlerts();
    for (KeyValue<String, Alert> kv : kvs) {
      if (!kv.key.equals(kv.value.getSessionKey())) {
        throw new AssertionError("alert keyed " + kv.key + " but for session key " + kv.value.getSessionKey());
      }
    }
    return kvs.stream().map(kv -> kv.value).toList();
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the test state directory " + stateDir, e);
    }
  }
}

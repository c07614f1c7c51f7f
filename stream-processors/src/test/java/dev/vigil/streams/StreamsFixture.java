package dev.vigil.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.KStream;

import dev.vigil.common.Settings;
import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.chain.Ed25519Keys;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.session.Ed25519Signer;

/** The real topology in a {@link TopologyTestDriver} (exactly_once_v2, wall clock starting at {@link TestEvents#T0}). */
public final class StreamsFixture implements AutoCloseable {

  public static final String KEY_ID = "test-key-1";
  private static final AvroSerde<VigilEvent> EVENTS = VigilSerdes.events();

  public final KeyPair keys;
  public final StreamsSettings settings;
  public final TopologyTestDriver driver;
  public final TestInputTopic<String, byte[]> events;
  public final TestOutputTopic<String, SessionSummary> sessions;
  public final TestOutputTopic<String, Alert> alerts;
  public final TestOutputTopic<String, byte[]> dlq;

  private StreamsFixture(KeyPair keys, StreamsSettings settings, TopologyTestDriver driver) {
    this.keys = keys;
    this.settings = settings;
    this.driver = driver;
    this.events = driver.createInputTopic(Topics.EVENTS, new StringSerializer(), new ByteArraySerializer());
    this.sessions = driver.createOutputTopic(Topics.SESSIONS, new StringDeserializer(), VigilSerdes.sessions().deserializer());
    this.alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), VigilSerdes.alerts().deserializer());
    this.dlq = driver.createOutputTopic(Topics.DLQ, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Settings for tests: a fresh key in {@code dir}, a dummy bootstrap, state under {@code dir}; {@code kv} override. */
  public static Map<String, String> settingsMap(Path dir, KeyPair keys, String... kv) throws IOException {
    Path keyFile = dir.resolve("signing.key.pem");
    Files.writeString(keyFile, Ed25519Keys.toPem(keys.getPrivate()));
    Map<String, String> m = new HashMap<>();
    m.put("vigil.streams.kafka.bootstrap.servers", "dummy:9092");
    m.put("vigil.streams.kafka." + StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    m.put(StreamsSettings.SIGNING_KEY_FILE, keyFile.toString());
    m.put(StreamsSettings.SIGNING_KEY_ID, KEY_ID);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The topology with the placeholder detectors replaced by {@code detectors}. */
  public static StreamsFixture start(Path dir, Function<KStream<String, VigilEvent>, KStream<String, Alert>> detectors,
      String... kv) throws IOException {
    KeyPair keys = Ed25519Keys.generate();
    StreamsSettings s = StreamsSettings.from(Settings.of(settingsMap(dir, keys, kv)));
    var signer = Ed25519Signer.fromFile(StreamsSettings.SIGNING_KEY_FILE, s.signingKeyFile(), s.signingKeyId());
    TopologyTestDriver driver = new TopologyTestDriver(VigilStreams.buildTopology(s, detectors, signer),
        VigilStreams.streamsConfig(s), TestEvents.T0);
    return new StreamsFixture(keys, s, driver);
  }

  /** The real topology (placeholder detectors, key loaded from the file). */
  public static StreamsFixture start(Path dir, String... kv) throws IOException {
    KeyPair keys = Ed25519Keys.generate();
    StreamsSettings s = StreamsSettings.from(Settings.of(settingsMap(dir, keys, kv)));
    return new StreamsFixture(keys, s,
        new TopologyTestDriver(VigilStreams.buildTopology(s), VigilStreams.streamsConfig(s), TestEvents.T0));
  }

  /** Sends {@code e} keyed by its session key; returns the exact record value. */
  public byte[] send(VigilEvent e) {
    byte[] value = EVENTS.encode(e);
    events.pipeInput(e.getSessionKey(), value, e.getTime());
    return value;
  }

  public void sendRaw(String key, byte[] value, Headers headers) {
    events.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(key, value, headers, TestEvents.T0));
  }

  public void advance(java.time.Duration d) {
    driver.advanceWallClockTime(d);
  }

  @Override
  public void close() {
    driver.close();
  }
}

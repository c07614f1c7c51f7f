package dev.vigil.streams;

import dev.vigil.ops.ManagementSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.streams.StreamsConfig;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Topics;
import dev.vigil.streams.detect.DetectorSettings;
import dev.vigil.streams.session.SessionSettings;

/**
 * The stream processors' configuration, read from {@link Settings} (keys {@code vigil.streams.*}) and validated at
 * load: a bad value fails with a {@link ConfigException} naming the key. {@code vigil.streams.kafka.*} is passed to
 * Kafka Streams as is ({@code bootstrap.servers} required); {@link #toString()} masks secret-looking Kafka settings.
 */
public final class StreamsSettings {

  public static final String PREFIX = "vigil.streams.";
  public static final String EVENTS_TOPIC = PREFIX + "events-topic";
  public static final String SESSIONS_TOPIC = PREFIX + "sessions-topic";
  public static final String ALERTS_TOPIC = PREFIX + "alerts-topic";
  public static final String DLQ_TOPIC = PREFIX + "dlq-topic";
  public static final String GAP = PREFIX + "session.inactivity-gap";
  public static final String GRACE = PREFIX + "session.grace";
  public static final String UPDATE_INTERVAL = PREFIX + "session.update-interval";
  public static final String MAX_COUNT_KEYS = PREFIX + "session.max-count-keys";
  public static final String DEDUPE_RETENTION = PREFIX + "dedupe.retention";
  public static final String DEDUPE_PURGE_INTERVAL = PREFIX + "dedupe.purge-interval";
  public static final String SIGNING_KEY_FILE = PREFIX + "signing.key-file";
  public static final String SIGNING_KEY_ID = PREFIX + "signing.key-id";
  public static final String UNKNOWN_SCHEMA = PREFIX + "unknown-schema";
  public static final String CLOSE_TIMEOUT = PREFIX + "close-timeout";
  public static final String TOPIC_CHECK_TIMEOUT = PREFIX + "topic-check-timeout";
  public static final String KAFKA_PREFIX = PREFIX + "kafka.";
  /** Interface of the management server ({@code /healthz}, {@code /readyz}, {@code /metrics}); default {@code 0.0.0.0}. */
  public static final String MANAGEMENT_HOST = PREFIX + "management.host";
  /** Port of the management server; default 9404, 0 picks a free port, -1 starts none. */
  public static final String MANAGEMENT_PORT = PREFIX + "management.port";

  public static final String DEFAULT_APPLICATION_ID = "vigil-streams";
  public static final Duration DEFAULT_GAP = Duration.ofMinutes(15);
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);
  public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_COUNT_KEYS = 100;
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Set<String> GUARANTEES = Set.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

  /** What to do with an event written with a schema this processor does not know (the gateway is newer). */
  public enum UnknownSchema {
    /** Stop the application (ERROR log naming the fix); after an upgrade it resumes at that record. */
    FAIL,
    /** Send the record to the DLQ and go on; the session's chain then lacks that event. */
    DLQ
  }

  private final String eventsTopic;
  private final String sessionsTopic;
  private final String alertsTopic;
  private final String dlqTopic;
  private final SessionSettings session;
  private final Duration dedupeRetention;
  private final Duration dedupePurgeInterval;
  private final Path signingKeyFile;
  private final String signingKeyId;
  private final UnknownSchema unknownSchema;
  private final Duration closeTimeout;
  private final Duration topicCheckTimeout;
  private final Map<String, Object> kafka;
  private final DetectorSettings detectors;
  private final ManagementSettings management;

  private StreamsSettings(Settings s) {
    this.eventsTopic = topic(s, EVENTS_TOPIC, Topics.EVENTS);
    this.sessionsTopic = topic(s, SESSIONS_TOPIC, Topics.SESSIONS);
    this.alertsTopic = topic(s, ALERTS_TOPIC, Topics.ALERTS);
    this.dlqTopic = topic(s, DLQ_TOPIC, Topics.DLQ);
    if (new HashSet<>(List.of(eventsTopic, sessionsTopic, alertsTopic, dlqTopic)).size() != 4) {
      throw new ConfigException("Settings " + EVENTS_TOPIC + ", " + SESSIONS_TOPIC + ", " + ALERTS_TOPIC + " and " + DLQ_TOPIC
          + " must name four different topics");
    }
    Duration gap = duration(s, GAP, DEFAULT_GAP, Duration.ofSeconds(1), Duration.ofDays(7));
    Duration grace = duration(s, GRACE, DEFAULT_GRACE, Duration.ZERO, Duration.ofDays(1));
    Duration update = duration(s, UPDATE_INTERVAL, DEFAULT_UPDATE_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));
    int maxKeys = s.getInt(MAX_COUNT_KEYS, DEFAULT_MAX_COUNT_KEYS, 1, 10_000);
    this.session = new SessionSettings(gap, grace, update, maxKeys);
    Duration lifetime = gap.plus(grace);
    this.dedupeRetention = duration(s, DEDUPE_RETENTION, lifetime.plusHours(1), lifetime, Duration.ofDays(30));
    this.dedupePurgeInterval = duration(s, DEDUPE_PURGE_INTERVAL, DEFAULT_PURGE_INTERVAL, Duration.ofSeconds(1),
        Duration.ofDays(1));
    this.signingKeyFile = Path.of(s.required(SIGNING_KEY_FILE));
    this.signingKeyId = s.required(SIGNING_KEY_ID).strip();
    if (!KEY_ID.matcher(signingKeyId).matches()) {
      throw new ConfigException("Setting " + SIGNING_KEY_ID + " must be 1-128 characters of [A-Za-z0-9._:-], was '"
          + signingKeyId + "'");
    }
    this.unknownSchema = unknownSchema(s.get(UNKNOWN_SCHEMA, "fail"));
    this.closeTimeout = duration(s, CLOSE_TIMEOUT, DEFAULT_CLOSE_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(10));
    this.topicCheckTimeout = duration(s, TOPIC_CHECK_TIMEOUT, DEFAULT_TOPIC_CHECK_TIMEOUT, Duration.ofSeconds(1),
        Duration.ofMinutes(10));
    this.kafka = kafka(s.withPrefix(KAFKA_PREFIX));
    this.detectors = DetectorSettings.from(s);
    this.management = ManagementSettings.from(s, MANAGEMENT_HOST, MANAGEMENT_PORT);
  }

  /** Reads and validates the {@code vigil.streams.*} keys (and the detectors' settings). */
  public static StreamsSettings from(Settings settings) {
    return new StreamsSettings(settings);
  }

  private static Map<String, Object> kafka(Map<String, Object> passthrough) {
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    if (!p.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      String key = KAFKA_PREFIX + StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
      throw new ConfigException("Missing required setting " + key + " (env " + Settings.keyToEnv(key) + ")");
    }
    p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    String guarantee = String.valueOf(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).strip();
    if (!GUARANTEES.contains(guarantee)) {
      throw new ConfigException("Setting " + KAFKA_PREFIX + StreamsConfig.PROCESSING_GUARANTEE_CONFIG + " must be "
          + StreamsConfig.EXACTLY_ONCE_V2 + " or " + StreamsConfig.AT_LEAST_ONCE + ", was '" + guarantee + "'");
    }
    return Map.copyOf(p);
  }

  private static UnknownSchema unknownSchema(String v) {
    switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "fail": return UnknownSchema.FAIL;
      case "dlq": return UnknownSchema.DLQ;
      default: throw new ConfigException("Setting " + UNKNOWN_SCHEMA + " must be fail or dlq, was '" + v + "'");
    }
  }

  private static Duration duration(Settings s, String key, Duration def, Duration min, Duration max) {
    Duration d = s.getDuration(key, def);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException("Setting " + key + " must be between " + min + " and " + max + ", was " + d);
    }
    return d;
  }

  private static String topic(Settings s, String key, String def) {
    String v = s.get(key, def).strip();
    if (!v.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new ConfigException("Setting " + key + " must be a Kafka topic name ([A-Za-z0-9._-], at most 249), was '" + v + "'");
    }
    return v;
  }

  public String eventsTopic() { return eventsTopic; }

  public String sessionsTopic() { return sessionsTopic; }

  public String alertsTopic() { return alertsTopic; }

  public String dlqTopic() { return dlqTopic; }

  /** Inactivity gap, grace, update interval and the per-map key limit of the sessionizer. */
  public SessionSettings session() { return session; }

  /** How long (wall clock, from first sight) an event id is remembered for de-duplication. */
  public Duration dedupeRetention() { return dedupeRetention; }

  /** How often forgotten event ids are purged from the de-duplication store. */
  public Duration dedupePurgeInterval() { return dedupePurgeInterval; }

  /** The Ed25519 private key (PKCS#8 PEM) that signs closed sessions. */
  public Path signingKeyFile() { return signingKeyFile; }

  public String signingKeyId() { return signingKeyId; }

  public UnknownSchema unknownSchema() { return unknownSchema; }

  /** Bound of {@code KafkaStreams.close} when the service stops. */
  public Duration closeTimeout() { return closeTimeout; }

  /** Bound of the start-up check that the four topics exist. */
  public Duration topicCheckTimeout() { return topicCheckTimeout; }

  /** The Kafka Streams properties: the passthrough plus {@code application.id} and {@code processing.guarantee}. */
  public Map<String, Object> kafka() { return kafka; }

  public String applicationId() { return String.valueOf(kafka.get(StreamsConfig.APPLICATION_ID_CONFIG)); }

  public DetectorSettings detectors() { return detectors; }

  /** Where the stream processors management server listens ({@link #MANAGEMENT_HOST}, {@link #MANAGEMENT_PORT}). */
  public ManagementSettings management() { return management; }

  @Override
  public String toString() {
    Map<String, Object> masked = new TreeMap<>();
    kafka.forEach((k, v) -> masked.put(k, Settings.isSecretKey(k) ? "****" : v));
    return "StreamsSettings{events=" + eventsTopic + ", sessions=" + sessionsTopic + ", alerts=" + alertsTopic
        + ", dlq=" + dlqTopic + ", " + session + ", dedupeRetention=" + dedupeRetention
        + ", dedupePurgeInterval=" + dedupePurgeInterval + ", signingKeyFile=" + signingKeyFile
        + ", signingKeyId=" + signingKeyId + ", unknownSchema=" + unknownSchema + ", closeTimeout=" + closeTimeout
        + ", topicCheckTimeout=" + topicCheckTimeout + ", kafka=" + masked + '}';
  }
}

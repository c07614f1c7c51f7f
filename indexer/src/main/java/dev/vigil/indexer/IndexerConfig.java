package dev.vigil.indexer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Topics;

/**
 * The indexer's configuration, read from {@link Settings} (keys {@code vigil.indexer.*}) and validated at start: a bad
 * value fails with a {@link ConfigException} naming the key. {@link #toString()} never shows the OpenSearch password
 * nor secret-looking Kafka client settings; an OpenSearch URL with credentials in it ({@code https://user:pass@host}) is
 * refused (use the {@code .username} / {@code .password} keys).
 */
public final class IndexerConfig {

  public static final String PREFIX = "vigil.indexer.";
  public static final String OPENSEARCH_URL = PREFIX + "opensearch.url";
  public static final String OPENSEARCH_USERNAME = PREFIX + "opensearch.username";
  public static final String OPENSEARCH_PASSWORD = PREFIX + "opensearch.password";
  public static final String INDEX_PREFIX = PREFIX + "index-prefix";
  public static final String INDEX_SHARDS = PREFIX + "index.shards";
  public static final String INDEX_REPLICAS = PREFIX + "index.replicas";
  public static final String MAX_BODY_CHARS = PREFIX + "max-body-chars";
  public static final String BATCH_MAX_RECORDS = PREFIX + "batch.max-records";
  public static final String BATCH_MAX_BYTES = PREFIX + "batch.max-bytes";
  public static final String POLL_TIMEOUT = PREFIX + "poll-timeout";
  public static final String RETRY_INITIAL_BACKOFF = PREFIX + "retry.initial-backoff";
  public static final String RETRY_MAX_BACKOFF = PREFIX + "retry.max-backoff";
  public static final String RETRY_MAX_ATTEMPTS = PREFIX + "retry.max-attempts";
  public static final String TOPIC = PREFIX + "topic";
  public static final String DLQ_TOPIC = PREFIX + "dlq-topic";
  public static final String CONSUMER_PREFIX = PREFIX + "kafka.consumer.";
  public static final String PRODUCER_PREFIX = PREFIX + "kafka.producer.";

  public static final String DEFAULT_OPENSEARCH_URL = "http://localhost:9200";
  public static final String DEFAULT_INDEX_PREFIX = "vigil-events";
  public static final String DEFAULT_GROUP_ID = "vigil-indexer";
  public static final int DEFAULT_MAX_BODY_CHARS = 32_768;
  public static final int DEFAULT_BATCH_MAX_RECORDS = 500;
  public static final long DEFAULT_BATCH_MAX_BYTES = 5L * 1024 * 1024;
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  private static final Pattern INDEX_PREFIX_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,200}");
  private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,10})\\s*(b|k|kb|kib|m|mb|mib)?");
  private static final long MIN_BATCH_BYTES = 1024;
  private static final long MAX_BATCH_BYTES = 1024L * 1024 * 1024;

  private final String openSearchUrl;
  private final String openSearchUsername;
  private final String openSearchPassword;
  private final String indexPrefix;
  private final int indexShards;
  private final int indexReplicas;
  private final int maxBodyChars;
  private final int batchMaxRecords;
  private final long batchMaxBytes;
  private final Duration pollTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;
  private final String topic;
  private final String dlqTopic;
  private final Map<String, Object> consumerProperties;
  private final Map<String, Object> producerProperties;
  private final Map<String, Object> adminProperties;

  private IndexerConfig(Settings s) {
    this.openSearchUrl = OpenSearchClients.validateUrl(OPENSEARCH_URL, s.get(OPENSEARCH_URL, DEFAULT_OPENSEARCH_URL));
    this.openSearchUsername = s.get(OPENSEARCH_USERNAME, null);
    this.openSearchPassword = s.get(OPENSEARCH_PASSWORD, null);
    if (openSearchUsername != null && openSearchPassword == null) {
      throw new ConfigException("Setting " + OPENSEARCH_PASSWORD + " is required when " + OPENSEARCH_USERNAME + " is set");
    }
    this.indexPrefix = s.get(INDEX_PREFIX, DEFAULT_INDEX_PREFIX);
    if (!INDEX_PREFIX_PATTERN.matcher(indexPrefix).matches()) {
      throw new ConfigException("Setting " + INDEX_PREFIX + " must be a lower-case index name prefix ([a-z0-9][a-z0-9._-]*), was '"
          + indexPrefix + "'");
    }
    this.indexShards = s.getInt(INDEX_SHARDS, 1, 1, 1024);
    this.indexReplicas = s.getInt(INDEX_REPLICAS, 0, 0, 16);
    this.maxBodyChars = s.getInt(MAX_BODY_CHARS, DEFAULT_MAX_BODY_CHARS, 0, 10_000_000);
    this.batchMaxRecords = s.getInt(BATCH_MAX_RECORDS, DEFAULT_BATCH_MAX_RECORDS, 1, 10_000);
    this.batchMaxBytes = byteSize(BATCH_MAX_BYTES, s.get(BATCH_MAX_BYTES, null), DEFAULT_BATCH_MAX_BYTES);
    this.pollTimeout = positive(POLL_TIMEOUT, s.getDuration(POLL_TIMEOUT, DEFAULT_POLL_TIMEOUT));
    this.initialBackoff = positive(RETRY_INITIAL_BACKOFF, s.getDuration(RETRY_INITIAL_BACKOFF, DEFAULT_INITIAL_BACKOFF));
    this.maxBackoff = positive(RETRY_MAX_BACKOFF, s.getDuration(RETRY_MAX_BACKOFF, DEFAULT_MAX_BACKOFF));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigException("Setting " + RETRY_MAX_BACKOFF + " must not be smaller than " + RETRY_INITIAL_BACKOFF);
    }
    this.maxAttempts = s.getInt(RETRY_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 1000);
    this.topic = nonBlank(TOPIC, s.get(TOPIC, Topics.EVENTS));
    this.dlqTopic = nonBlank(DLQ_TOPIC, s.get(DLQ_TOPIC, Topics.DLQ));
    if (topic.equals(dlqTopic)) {
      throw new ConfigException("Setting " + DLQ_TOPIC + " must differ from " + TOPIC);
    }
    this.consumerProperties = consumerProperties(s.withPrefix(CONSUMER_PREFIX), batchMaxRecords);
    this.producerProperties = producerProperties(s.withPrefix(PRODUCER_PREFIX), consumerProperties);
    this.adminProperties = adminProperties(producerProperties);
  }

  /** Reads and validates the {@code vigil.indexer.*} keys. */
  public static IndexerConfig from(Settings settings) {
    return new IndexerConfig(settings);
  }

  private static Map<String, Object> consumerProperties(Map<String, Object> passthrough, int batchMaxRecords) {
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    if (!p.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException("Missing required setting " + CONSUMER_PREFIX + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG
          + " (env " + Settings.keyToEnv(CONSUMER_PREFIX + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + ")");
    }
    requireAbsentOr(p, CONSUMER_PREFIX, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    requireAbsentOr(p, CONSUMER_PREFIX, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    forbid(p, CONSUMER_PREFIX, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
    forbid(p, CONSUMER_PREFIX, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-indexer");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batchMaxRecords));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Values are decoded by the indexer itself so that undecodable records can be sent to the DLQ byte for byte.
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return Map.copyOf(p);
  }

  private static Map<String, Object> producerProperties(Map<String, Object> passthrough, Map<String, Object> consumer) {
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    forbid(p, PRODUCER_PREFIX, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    forbid(p, PRODUCER_PREFIX, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    requireAbsentOr(p, PRODUCER_PREFIX, ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, consumer.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vigil-indexer-dlq");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return Map.copyOf(p);
  }

  private static void requireAbsentOr(Map<String, Object> p, String prefix, String key, String required) {
    Object v = p.get(key);
    if (v != null && !String.valueOf(v).strip().toLowerCase(Locale.ROOT).equals(required)) {
      throw new ConfigException("Setting " + prefix + key + " must be " + required + " (the indexer relies on it), was '" + v + "'");
    }
  }

  private static void forbid(Map<String, Object> p, String prefix, String key) {
    if (p.containsKey(key)) {
      throw new ConfigException("Setting " + prefix + key + " cannot be set: the indexer chooses its own (de)serializers");
    }
  }

  /** The DLQ producer's connection settings (bootstrap, security), for the start-up check that the DLQ topic exists. */
  private static Map<String, Object> adminProperties(Map<String, Object> producer) {
    Map<String, Object> p = new LinkedHashMap<>();
    producer.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        p.put(k, v);
      }
    });
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, producer.get(ProducerConfig.CLIENT_ID_CONFIG) + "-admin");
    return Map.copyOf(p);
  }

  /** A size in bytes: a number, optionally with a unit {@code b}, {@code k}/{@code kb}/{@code kib}, {@code m}/{@code mb}/{@code mib} (1024-based). */
  static long byteSize(String key, String value, long defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    Matcher m = BYTE_SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException("Setting " + key + " must be a size such as 5242880, 512k or 5m, was '" + value + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long bytes = Long.parseLong(m.group(1)) * (unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1);
    if (bytes < MIN_BATCH_BYTES || bytes > MAX_BATCH_BYTES) {
      throw new ConfigException("Setting " + key + " must be between 1k and 1024m, was '" + value + "'");
    }
    return bytes;
  }

  private static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException("Setting " + key + " must be a positive duration, was " + d);
    }
    return d;
  }

  private static String nonBlank(String key, String v) {
    if (v == null || v.isBlank()) {
      throw new ConfigException("Setting " + key + " must not be blank");
    }
    return v.strip();
  }

  public String openSearchUrl() { return openSearchUrl; }

  /** Basic-auth user for OpenSearch, or null. */
  public String openSearchUsername() { return openSearchUsername; }

  /** Basic-auth password for OpenSearch, or null. */
  public String openSearchPassword() { return openSearchPassword; }

  public String indexPrefix() { return indexPrefix; }

  /** The index template name and the wildcard pattern it covers ({@code <prefix>-*}). */
  public String indexPattern() { return indexPrefix + "-*"; }

  public int indexShards() { return indexShards; }

  public int indexReplicas() { return indexReplicas; }

  public int maxBodyChars() { return maxBodyChars; }

  public int batchMaxRecords() { return batchMaxRecords; }

  /** Upper bound of one bulk request body (estimated); a polled batch is split into several requests to stay below it. */
  public long batchMaxBytes() { return batchMaxBytes; }

  public Duration pollTimeout() { return pollTimeout; }

  public Duration initialBackoff() { return initialBackoff; }

  public Duration maxBackoff() { return maxBackoff; }

  /** Attempts per bulk item failing with a retryable error before it goes to the DLQ. */
  public int maxAttempts() { return maxAttempts; }

  public String topic() { return topic; }

  public String dlqTopic() { return dlqTopic; }

  public String groupId() { return String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG)); }

  /** Effective Kafka consumer properties (passthrough plus the indexer's fixed settings). */
  public Map<String, Object> consumerProperties() { return consumerProperties; }

  /** Effective Kafka producer properties for the DLQ. */
  public Map<String, Object> producerProperties() { return producerProperties; }

  /** Kafka admin client properties (the producer's connection settings), used to check that the DLQ topic exists. */
  public Map<String, Object> adminProperties() { return adminProperties; }

  @Override
  public String toString() {
    return "IndexerConfig{opensearch=" + openSearchUrl
        + (openSearchUsername == null ? "" : ", opensearchUser=" + openSearchUsername + ", opensearchPassword=****")
        + ", indexPrefix=" + indexPrefix + ", shards=" + indexShards + ", replicas=" + indexReplicas
        + ", maxBodyChars=" + maxBodyChars + ", batchMaxRecords=" + batchMaxRecords + ", batchMaxBytes=" + batchMaxBytes
        + ", pollTimeout=" + pollTimeout
        + ", retry=" + initialBackoff + ".." + maxBackoff + " x" + maxAttempts
        + ", topic=" + topic + ", dlqTopic=" + dlqTopic
        + ", consumer=" + masked(consumerProperties) + ", producer=" + masked(producerProperties) + '}';
  }

  private static Map<String, Object> masked(Map<String, Object> props) {
    Map<String, Object> m = new java.util.TreeMap<>();
    props.forEach((k, v) -> m.put(k, Settings.isSecretKey(k) ? "****" : OpenSearchClients.redactUserInfo(String.valueOf(v))));
    return m;
  }
}

package dev.vigil.indexer;

import dev.vigil.ops.ManagementSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;

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
  public static final String SESSIONS_ENABLED = PREFIX + "sessions.enabled";
  public static final String SESSIONS_TOPIC = PREFIX + "sessions.topic";
  public static final String SESSIONS_INDEX = PREFIX + "sessions.index";
  public static final String ALERTS_ENABLED = PREFIX + "alerts.enabled";
  public static final String ALERTS_TOPIC = PREFIX + "alerts.topic";
  public static final String ALERTS_INDEX = PREFIX + "alerts.index";
  public static final String RETENTION_MODE = PREFIX + "retention.mode";
  public static final String RETENTION_DAYS = PREFIX + "retention.days";
  public static final String RETENTION_INTERVAL = PREFIX + "retention.interval";
  public static final String CONSUMER_PREFIX = PREFIX + "kafka.consumer.";
  public static final String PRODUCER_PREFIX = PREFIX + "kafka.producer.";
  /** Interface of the management server ({@code /healthz}, {@code /readyz}, {@code /metrics}); default {@code 0.0.0.0}. */
  public static final String MANAGEMENT_HOST = PREFIX + "management.host";
  /** Port of the management server; default 9404, 0 picks a free port, -1 starts none. */
  public static final String MANAGEMENT_PORT = PREFIX + "management.port";

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
  public static final String DEFAULT_SESSIONS_INDEX = "vigil-sessions";
  public static final String DEFAULT_ALERTS_INDEX = "vigil-alerts";
  public static final int DEFAULT_RETENTION_DAYS = 30;
  public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofHours(24);

  /**
   * How old daily event indices are removed: {@code AUTO} = an ISM policy when the cluster has the Index State
   * Management plugin, else the indexer's own deletion task; {@code ISM} = the policy (start fails without the plugin);
   * {@code TASK} = the deletion task; {@code OFF} = nothing is deleted.
   */
  public enum RetentionMode { AUTO, ISM, TASK, OFF }

  private static final Pattern INDEX_PREFIX_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,200}");

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
  private final boolean sessionsEnabled;
  private final String sessionsTopic;
  private final String sessionsIndex;
  private final boolean alertsEnabled;
  private final String alertsTopic;
  private final String alertsIndex;
  private final RetentionMode retentionMode;
  private final int retentionDays;
  private final Duration retentionInterval;
  private final Map<String, Object> consumerProperties;
  private final Map<String, Object> producerProperties;
  private final Map<String, Object> adminProperties;
  private final ManagementSettings management;

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
    this.batchMaxBytes = ConfigValues.byteSize(BATCH_MAX_BYTES, s.get(BATCH_MAX_BYTES, null), DEFAULT_BATCH_MAX_BYTES);
    this.pollTimeout = ConfigValues.positive(POLL_TIMEOUT, s.getDuration(POLL_TIMEOUT, DEFAULT_POLL_TIMEOUT));
    this.initialBackoff = ConfigValues.positive(RETRY_INITIAL_BACKOFF, s.getDuration(RETRY_INITIAL_BACKOFF, DEFAULT_INITIAL_BACKOFF));
    this.maxBackoff = ConfigValues.positive(RETRY_MAX_BACKOFF, s.getDuration(RETRY_MAX_BACKOFF, DEFAULT_MAX_BACKOFF));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigException("Setting " + RETRY_MAX_BACKOFF + " must not be smaller than " + RETRY_INITIAL_BACKOFF);
    }
    this.maxAttempts = s.getInt(RETRY_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 1000);
    this.topic = ConfigValues.nonBlank(TOPIC, s.get(TOPIC, Topics.EVENTS));
    this.dlqTopic = ConfigValues.nonBlank(DLQ_TOPIC, s.get(DLQ_TOPIC, Topics.DLQ));
    this.sessionsEnabled = s.getBoolean(SESSIONS_ENABLED, true);
    this.sessionsTopic = ConfigValues.nonBlank(SESSIONS_TOPIC, s.get(SESSIONS_TOPIC, Topics.SESSIONS));
    this.sessionsIndex = ConfigValues.indexName(SESSIONS_INDEX, s.get(SESSIONS_INDEX, DEFAULT_SESSIONS_INDEX));
    this.alertsEnabled = s.getBoolean(ALERTS_ENABLED, true);
    this.alertsTopic = ConfigValues.nonBlank(ALERTS_TOPIC, s.get(ALERTS_TOPIC, Topics.ALERTS));
    this.alertsIndex = ConfigValues.indexName(ALERTS_INDEX, s.get(ALERTS_INDEX, DEFAULT_ALERTS_INDEX));
    checkDistinct();
    this.retentionMode = ConfigValues.retentionMode(s.get(RETENTION_MODE, "auto"));
    this.retentionDays = s.getInt(RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 1, 36_500);
    this.retentionInterval = s.getDuration(RETENTION_INTERVAL, DEFAULT_RETENTION_INTERVAL);
    if (retentionInterval.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new ConfigException("Setting " + RETENTION_INTERVAL + " must be at least 1m, was " + retentionInterval);
    }
    this.consumerProperties = KafkaClientProperties.consumer(s.withPrefix(CONSUMER_PREFIX), batchMaxRecords);
    this.producerProperties = KafkaClientProperties.producer(s.withPrefix(PRODUCER_PREFIX), consumerProperties);
    this.adminProperties = KafkaClientProperties.admin(producerProperties);
    this.management = ManagementSettings.from(s, MANAGEMENT_HOST, MANAGEMENT_PORT);
  }

  /** Consumed topics and the DLQ topic differ; the sessions and alerts indices differ and lie outside the events pattern. */
  private void checkDistinct() {
    List<String> keys = new ArrayList<>(List.of(TOPIC));
    List<String> topics = new ArrayList<>(List.of(topic));
    if (sessionsEnabled) {
      keys.add(SESSIONS_TOPIC);
      topics.add(sessionsTopic);
    }
    if (alertsEnabled) {
      keys.add(ALERTS_TOPIC);
      topics.add(alertsTopic);
    }
    keys.add(DLQ_TOPIC);
    topics.add(dlqTopic);
    if (new HashSet<>(topics).size() != topics.size()) {
      throw new ConfigException("Settings " + String.join(", ", keys) + " must name different topics, were " + topics);
    }
    if (sessionsIndex.equals(alertsIndex)) {
      throw new ConfigException("Settings " + SESSIONS_INDEX + " and " + ALERTS_INDEX + " must differ");
    }
    for (String[] kv : new String[][] {{SESSIONS_INDEX, sessionsIndex}, {ALERTS_INDEX, alertsIndex}}) {
      if (kv[1].equals(indexPrefix) || kv[1].startsWith(indexPrefix + "-")) {
        throw new ConfigException("Setting " + kv[0] + " must not match the daily event indices " + indexPattern()
            + " (retention would delete it), was '" + kv[1] + "'");
      }
    }
  }

  /** Reads and validates the {@code vigil.indexer.*} keys. */
  public static IndexerConfig from(Settings settings) {
    return new IndexerConfig(settings);
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

  /** Whether {@link #sessionsTopic()} is consumed into {@link #sessionsIndex()}. */
  public boolean sessionsEnabled() { return sessionsEnabled; }

  public String sessionsTopic() { return sessionsTopic; }

  /** The one sessions index (doc id = session id). */
  public String sessionsIndex() { return sessionsIndex; }

  /** Whether {@link #alertsTopic()} is consumed into {@link #alertsIndex()}. */
  public boolean alertsEnabled() { return alertsEnabled; }

  public String alertsTopic() { return alertsTopic; }

  /** The one alerts index (doc id = alert id). */
  public String alertsIndex() { return alertsIndex; }

  /** Every topic consumed: events, then sessions and alerts when enabled. */
  public List<String> topics() {
    List<String> t = new ArrayList<>(List.of(topic));
    if (sessionsEnabled) {
      t.add(sessionsTopic);
    }
    if (alertsEnabled) {
      t.add(alertsTopic);
    }
    return List.copyOf(t);
  }

  public RetentionMode retentionMode() { return retentionMode; }

  /** Days of events kept: a daily index is removed once all its events are older than this. */
  public int retentionDays() { return retentionDays; }

  /** How often the deletion task runs (when it is the retention mechanism). */
  public Duration retentionInterval() { return retentionInterval; }

  public String groupId() { return String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG)); }

  /** Effective Kafka consumer properties (passthrough plus the indexer's fixed settings). */
  public Map<String, Object> consumerProperties() { return consumerProperties; }

  /** Effective Kafka producer properties for the DLQ. */
  public Map<String, Object> producerProperties() { return producerProperties; }

  /** Kafka admin client properties (the producer's connection settings), used to check that the DLQ topic exists. */
  public Map<String, Object> adminProperties() { return adminProperties; }

  /** Where the indexer management server listens ({@link #MANAGEMENT_HOST}, {@link #MANAGEMENT_PORT}). */
  public ManagementSettings management() { return management; }

  @Override
  public String toString() {
    return "IndexerConfig{opensearch=" + openSearchUrl
        + (openSearchUsername == null ? "" : ", opensearchUser=" + openSearchUsername + ", opensearchPassword=****")
        + ", indexPrefix=" + indexPrefix + ", shards=" + indexShards + ", replicas=" + indexReplicas
        + ", maxBodyChars=" + maxBodyChars + ", batchMaxRecords=" + batchMaxRecords + ", batchMaxBytes=" + batchMaxBytes
        + ", pollTimeout=" + pollTimeout
        + ", retry=" + initialBackoff + ".." + maxBackoff + " x" + maxAttempts
        + ", topic=" + topic + ", dlqTopic=" + dlqTopic
        + ", sessions=" + (sessionsEnabled ? sessionsTopic + "->" + sessionsIndex : "off")
        + ", alerts=" + (alertsEnabled ? alertsTopic + "->" + alertsIndex : "off")
        + ", retention=" + retentionMode.name().toLowerCase(Locale.ROOT) + "/" + retentionDays + "d/" + retentionInterval
        + ", consumer=" + masked(consumerProperties) + ", producer=" + masked(producerProperties) + '}';
  }

  private static Map<String, Object> masked(Map<String, Object> props) {
    Map<String, Object> m = new java.util.TreeMap<>();
    props.forEach((k, v) -> m.put(k, Settings.isSecretKey(k) ? "****" : OpenSearchClients.redactUserInfo(String.valueOf(v))));
    return m;
  }
}

package dev.vigil.streams.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.schema.Topics;

/**
 * The alert notifier's configuration ({@code vigil.streams.notify.*}), validated when read: a bad value fails with a
 * {@link ConfigException} naming the key, and so does an unknown key under the prefix (a typo such as
 * {@code webhooks.ops.secret} instead of {@code .secret-file} must not go unnoticed). {@link #toString()} shows neither
 * webhook URLs beyond their host, nor HMAC keys, nor secret-looking Kafka settings.
 */
public final class NotifierSettings {

  public static final String PREFIX = "vigil.streams.notify.";
  public static final String WEBHOOKS = PREFIX + "webhooks.";
  public static final String MAX_ATTEMPTS = PREFIX + "max-attempts";
  public static final String INITIAL_BACKOFF = PREFIX + "initial-backoff";
  public static final String MAX_BACKOFF = PREFIX + "max-backoff";
  public static final String TIMEOUT = PREFIX + "timeout";
  public static final String DEDUPE_MAX_ENTRIES = PREFIX + "dedupe-max-entries";
  public static final String TOPIC = PREFIX + "topic";
  public static final String DLQ_TOPIC = PREFIX + "dlq-topic";
  public static final String KAFKA = PREFIX + "kafka.";

  public static final String DEFAULT_GROUP_ID = "vigil-notifier";
  public static final int DEFAULT_MAX_POLL_RECORDS = 50;

  private static final Set<String> GLOBAL_KEYS = Set.of(MAX_ATTEMPTS, INITIAL_BACKOFF, MAX_BACKOFF, TIMEOUT, DEDUPE_MAX_ENTRIES,
      TOPIC, DLQ_TOPIC);
  private static final Pattern WEBHOOK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final List<WebhookSettings> webhooks;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration timeout;
  private final int dedupeMaxEntries;
  private final String topic;
  private final String dlqTopic;
  private final Map<String, Object> consumerProperties;
  private final Map<String, Object> producerProperties;

  private NotifierSettings(Settings s) {
    this.webhooks = webhooks(s);
    this.maxAttempts = s.getInt(MAX_ATTEMPTS, 5, 1, 100);
    this.initialBackoff = positive(INITIAL_BACKOFF, s.getDuration(INITIAL_BACKOFF, Duration.ofMillis(500)));
    this.maxBackoff = positive(MAX_BACKOFF, s.getDuration(MAX_BACKOFF, Duration.ofSeconds(30)));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new ConfigException("Setting " + MAX_BACKOFF + " must not be smaller than " + INITIAL_BACKOFF);
    }
    this.timeout = positive(TIMEOUT, s.getDuration(TIMEOUT, Duration.ofSeconds(10)));
    this.dedupeMaxEntries = s.getInt(DEDUPE_MAX_ENTRIES, 10_000, 1, 10_000_000);
    this.topic = s.get(TOPIC, Topics.ALERTS).strip();
    this.dlqTopic = s.get(DLQ_TOPIC, Topics.DLQ).strip();
    if (topic.equals(dlqTopic)) {
      throw new ConfigException("Setting " + DLQ_TOPIC + " must differ from " + TOPIC);
    }
    this.consumerProperties = consumerProperties(s.withPrefix(KAFKA));
    this.producerProperties = producerProperties(consumerProperties);
  }

  /** Reads and validates the {@code vigil.streams.notify.*} keys; zero webhooks is valid (see {@link #hasWebhooks()}). */
  public static NotifierSettings from(Settings settings) {
    return new NotifierSettings(settings);
  }

  private static List<WebhookSettings> webhooks(Settings s) {
    Set<String> names = new TreeSet<>();
    for (String key : s.withPrefix(PREFIX).keySet()) {
      String full = PREFIX + key;
      if (full.startsWith(KAFKA) || GLOBAL_KEYS.contains(full)) {
        continue;
      }
      String rest = full.startsWith(WEBHOOKS) ? full.substring(WEBHOOKS.length()) : "";
      int dot = rest.indexOf('.');
      if (dot < 0 || !WebhookSettings.PROPERTIES.contains(rest.substring(dot + 1))) {
        throw new ConfigException("Unknown setting " + full + " (known: " + new TreeSet<>(GLOBAL_KEYS) + ", " + KAFKA + "*, "
            + WEBHOOKS + "<name>." + new TreeSet<>(WebhookSettings.PROPERTIES) + ")");
      }
      String name = rest.substring(0, dot);
      if (!WEBHOOK_NAME.matcher(name).matches()) {
        throw new ConfigException("Setting " + full + ": the webhook name '" + name + "' must match " + WEBHOOK_NAME.pattern());
      }
      names.add(name);
    }
    List<WebhookSettings> out = new ArrayList<>();
    names.forEach(name -> out.add(WebhookSettings.read(name, WEBHOOKS + name + ".", s)));
    return List.copyOf(out);
  }

  private static Map<String, Object> consumerProperties(Map<String, Object> passthrough) {
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    if (!p.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      String key = KAFKA + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG;
      throw new ConfigException("Missing required setting " + key + " (env " + Settings.keyToEnv(key) + ")");
    }
    requireAbsentOr(p, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    requireAbsentOr(p, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    for (String fixed : List.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
      if (p.containsKey(fixed)) {
        throw new ConfigException("Setting " + KAFKA + fixed + " cannot be set: the notifier decodes alerts itself");
      }
    }
    p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-notifier");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(DEFAULT_MAX_POLL_RECORDS));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // alerts are written by an exactly_once_v2 Streams application: never notify about an aborted one
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return Map.copyOf(p);
  }

  /** The DLQ producer: the consumer's connection settings (bootstrap, security, TLS, SASL) and its own fixed ones. */
  private static Map<String, Object> producerProperties(Map<String, Object> consumer) {
    Map<String, Object> p = connection(consumer);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, consumer.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-dlq");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return Map.copyOf(p);
  }

  static Map<String, Object> connection(Map<String, Object> props) {
    Map<String, Object> p = new LinkedHashMap<>();
    props.forEach((k, v) -> {
      if (k.equals("bootstrap.servers") || k.equals("client.dns.lookup") || k.startsWith("security.") || k.startsWith("ssl.")
          || k.startsWith("sasl.")) {
        p.put(k, v);
      }
    });
    return p;
  }

  private static void requireAbsentOr(Map<String, Object> p, String key, String required) {
    Object v = p.get(key);
    if (v != null && !String.valueOf(v).strip().toLowerCase(Locale.ROOT).equals(required)) {
      throw new ConfigException("Setting " + KAFKA + key + " must be " + required + " (the notifier relies on it), was '" + v + "'");
    }
  }

  private static Duration positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException("Setting " + key + " must be a positive duration, was " + d);
    }
    return d;
  }

  /** False when no webhook is configured: the service then does not start the notifier at all. */
  public boolean hasWebhooks() { return !webhooks.isEmpty(); }

  /** The webhooks, sorted by name. */
  public List<WebhookSettings> webhooks() { return webhooks; }

  /** Attempts per alert and webhook (the first one included) before giving up on a retryable failure. */
  public int maxAttempts() { return maxAttempts; }

  public Duration initialBackoff() { return initialBackoff; }

  public Duration maxBackoff() { return maxBackoff; }

  /** Connect timeout and the time allowed for the whole response of one request. */
  public Duration timeout() { return timeout; }

  /** Alert ids remembered as delivered, per webhook. */
  public int dedupeMaxEntries() { return dedupeMaxEntries; }

  public String topic() { return topic; }

  public String dlqTopic() { return dlqTopic; }

  public String groupId() { return String.valueOf(consumerProperties.get(ConsumerConfig.GROUP_ID_CONFIG)); }

  /** Effective Kafka consumer properties: the passthrough plus the notifier's fixed settings. */
  public Map<String, Object> consumerProperties() { return consumerProperties; }

  /** Effective properties of the dead-letter producer. */
  public Map<String, Object> producerProperties() { return producerProperties; }

  @Override
  public String toString() {
    Map<String, Object> consumer = new TreeMap<>();
    consumerProperties.forEach((k, v) -> consumer.put(k, Settings.isSecretKey(k) ? "****" : v));
    return "NotifierSettings{webhooks=" + webhooks + ", maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".."
        + maxBackoff + ", timeout=" + timeout + ", dedupeMaxEntries=" + dedupeMaxEntries + ", topic=" + topic + ", dlqTopic="
        + dlqTopic + ", consumer=" + consumer + '}';
  }
}

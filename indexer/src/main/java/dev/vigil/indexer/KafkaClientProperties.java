package dev.vigil.indexer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The effective Kafka client properties of the indexer: the {@code vigil.indexer.kafka.consumer.*} /
 * {@code .producer.*} passthrough plus the settings the indexer relies on (validated: a conflicting passthrough value
 * fails with a {@link ConfigException} naming the key).
 */
final class KafkaClientProperties {

  private KafkaClientProperties() {}

  static Map<String, Object> consumer(Map<String, Object> passthrough, int batchMaxRecords) {
    String prefix = IndexerConfig.CONSUMER_PREFIX;
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    if (!p.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException("Missing required setting " + prefix + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG
          + " (env " + Settings.keyToEnv(prefix + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + ")");
    }
    requireAbsentOr(p, prefix, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    requireAbsentOr(p, prefix, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    forbid(p, prefix, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
    forbid(p, prefix, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, IndexerConfig.DEFAULT_GROUP_ID);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-indexer");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batchMaxRecords));
    // the indexer reads topics others create (the sessions topic must be compacted): never create one by subscribing
    p.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Values are decoded by the indexer itself so that undecodable records can be sent to the DLQ byte for byte.
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return Map.copyOf(p);
  }

  static Map<String, Object> producer(Map<String, Object> passthrough, Map<String, Object> consumer) {
    String prefix = IndexerConfig.PRODUCER_PREFIX;
    Map<String, Object> p = new LinkedHashMap<>(passthrough);
    forbid(p, prefix, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    forbid(p, prefix, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    requireAbsentOr(p, prefix, ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, consumer.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vigil-indexer-dlq");
    p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return Map.copyOf(p);
  }

  /** The DLQ producer's connection settings (bootstrap, security), for the start-up check that the DLQ topic exists. */
  static Map<String, Object> admin(Map<String, Object> producer) {
    Map<String, Object> p = new LinkedHashMap<>();
    producer.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        p.put(k, v);
      }
    });
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, producer.get(ProducerConfig.CLIENT_ID_CONFIG) + "-admin");
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
}

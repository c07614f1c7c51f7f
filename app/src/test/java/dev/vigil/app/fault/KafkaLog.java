package dev.vigil.app.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.schema.Alert;
import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/** Reads a whole topic (every partition, beginning to end, read_committed): what Kafka holds, to reconcile against. */
final class KafkaLog {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaLog.class);
  /** One serde of each type (building one parses the schema history: not per record). */
  static final AvroSerde<VigilEvent> EVENTS = VigilSerdes.events();
  static final AvroSerde<SessionSummary> SESSIONS = VigilSerdes.sessions();
  static final AvroSerde<Alert> ALERTS = VigilSerdes.alerts();

  private KafkaLog() {}

  /** Every record of {@code topic}, partition by partition, each in offset order. */
  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    long t0 = System.nanoTime();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      tps.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
      Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
      tps.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          byPartition.get(new TopicPartition(r.topic(), r.partition())).add(r);
        }
      }
      byPartition.values().forEach(out::addAll);
    }
    LOG.debug("read {} records of {} in {} ms", out.size(), topic, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return out;
  }

  /** The events topic decoded (every record must decode: only the poison test writes others, and reads raw). */
  static List<VigilEvent> events(String bootstrap) {
    return readAll(bootstrap, Topics.EVENTS).stream().map(r -> EVENTS.decode(r.value())).toList();
  }

  /** A header's value as UTF-8, or null. */
  static String header(ConsumerRecord<?, ?> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}

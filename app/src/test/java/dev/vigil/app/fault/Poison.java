package dev.vigil.app.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;

/** Poison records written straight to the events topic, next to the proxy's, and where they landed. */
final class Poison {

  /** One poison record: what it is, and its partition and offset on the events topic. */
  record Written(String kind, String key, int partition, long offset) {}

  private final KafkaProducer<String, byte[]> producer;
  private final List<Written> written = new ArrayList<>();

  Poison(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Bytes that are no Avro single-object encoding at all. */
  static byte[] garbage(int n) {
    return ("\u0000not an avro record #" + n + " \uFFFD{]").getBytes(StandardCharsets.UTF_8);
  }

  /** A valid header and known schema fingerprint, but the body cut in half. */
  static byte[] truncated(byte[] valid) {
    return Arrays.copyOf(valid, 10 + (valid.length - 10) / 2);
  }

  /** A valid record whose 8-byte schema fingerprint (after the C3 01 marker) names no schema this build knows. */
  static byte[] unknownFingerprint(byte[] valid) {
    byte[] b = valid.clone();
    for (int i = 2; i < 10; i++) {
      b[i] = (byte) ~b[i];
    }
    return b;
  }

  Written send(String kind, String key, byte[] value) {
    try {
      RecordMetadata m = producer.send(new ProducerRecord<>(Topics.EVENTS, key, value)).get(30, TimeUnit.SECONDS);
      Written w = new Written(kind, key, m.partition(), m.offset());
      written.add(w);
      return w;
    } catch (Exception e) {
      throw new IllegalStateException("cannot write a poison record", e);
    }
  }

  List<Written> written() {
    return List.copyOf(written);
  }

  void close() {
    producer.close();
  }

  /** Whether a record is one of the poison ones written. */
  boolean isPoison(ConsumerRecord<?, ?> r) {
    return written.stream().anyMatch(w -> w.partition() == r.partition() && w.offset() == r.offset());
  }

  /** The events topic's records that are not poison, decoded. */
  List<VigilEvent> validEvents(List<ConsumerRecord<String, byte[]>> all) {
    return valid(all).stream().map(r -> KafkaLog.EVENTS.decode(r.value())).toList();
  }

  List<ConsumerRecord<String, byte[]>> valid(List<ConsumerRecord<String, byte[]>> all) {
    return all.stream().filter(r -> !isPoison(r)).toList();
  }
}

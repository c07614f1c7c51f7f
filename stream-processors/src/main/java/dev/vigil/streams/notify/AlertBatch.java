package dev.vigil.streams.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

import dev.vigil.schema.Alert;
import dev.vigil.schema.serde.AvroSerde;

/**
 * One poll, decoded partition by partition. An alert written with a schema this build does not know (a newer
 * stream processor wrote it during a rolling upgrade) is not given up: a newer notifier can read it, so its partition is
 * blocked there (nothing from it on is processed, and the offset to commit is that record's). Tombstones and records that
 * are not alerts are given up ({@link GiveUp#NULL_VALUE}, {@link GiveUp#UNDECODABLE}).
 *
 * @param alerts the decoded alerts, in partition-offset order per partition
 * @param undecodable records given up before any webhook
 * @param blocked per blocked partition, the first record with an unknown writer schema
 * @param offsets the offsets to commit once every alert was delivered or given up
 */
record AlertBatch(List<Polled> alerts, List<GiveUp> undecodable, Map<TopicPartition, ConsumerRecord<byte[], byte[]>> blocked,
    Map<TopicPartition, OffsetAndMetadata> offsets) {

  /** A decoded alert and the record it came from. */
  record Polled(ConsumerRecord<byte[], byte[]> record, Alert alert) {}

  static AlertBatch decode(ConsumerRecords<byte[], byte[]> records, AvroSerde<Alert> serde) {
    List<Polled> alerts = new ArrayList<>(records.count());
    List<GiveUp> undecodable = new ArrayList<>();
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> blocked = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      ConsumerRecord<byte[], byte[]> next = null;
      for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
        if (!decodeOne(record, serde, alerts, undecodable)) {
          blocked.put(tp, record);
          offsets.put(tp, new OffsetAndMetadata(record.offset(), record.leaderEpoch(), ""));
          next = null;
          break;
        }
        next = record;
      }
      if (next != null) {
        offsets.put(tp, new OffsetAndMetadata(next.offset() + 1, next.leaderEpoch(), ""));
      }
    }
    return new AlertBatch(alerts, undecodable, blocked, offsets);
  }

  /** Adds the alert or a give-up; returns false (adding nothing) if the writer schema is unknown. */
  private static boolean decodeOne(ConsumerRecord<byte[], byte[]> record, AvroSerde<Alert> serde, List<Polled> alerts,
      List<GiveUp> undecodable) {
    if (record.value() == null) {
      undecodable.add(new GiveUp(record, null, null, GiveUp.NULL_VALUE, "record has no value"));
      return true;
    }
    try {
      alerts.add(new Polled(record, serde.decode(record.value())));
      return true;
    } catch (SerializationException e) {
      if (e.getCause() instanceof MissingSchemaException) {
        return false;
      }
      undecodable.add(new GiveUp(record, null, null, GiveUp.UNDECODABLE, e.getMessage()));
      return true;
    }
  }
}

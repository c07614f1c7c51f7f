package dev.vigil.indexer.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

import dev.vigil.indexer.IndexerConfig;

/**
 * Turns one polled batch into documents to write and dead letters, partition by partition, with the
 * {@link DocumentMapper} of each record's topic (events, sessions, alerts).
 *
 * <p>A record written with a schema this indexer does not know (the producer was upgraded first) is <em>not</em> a dead
 * letter: a newer indexer can read it. Its partition is blocked at that record: neither it nor any later record of the
 * partition is processed, and the offset to commit for the partition is that record's, so an upgraded indexer resumes
 * exactly there. Tombstones, bad headers and corrupt bodies are dead letters.
 */
final class BatchDecoder {

  /**
   * One decoded batch.
   *
   * @param items documents to write
   * @param dead records that cannot be indexed
   * @param blocked per blocked partition, the first record whose writer schema is unknown
   * @param offsets the offsets to commit once items and dead letters are done
   */
  record Batch(List<BulkItem> items, List<DeadLetter> dead, Map<TopicPartition, ConsumerRecord<byte[], byte[]>> blocked,
      Map<TopicPartition, OffsetAndMetadata> offsets) {}

  private final Map<String, DocumentMapper<?>> mappers = new HashMap<>();

  BatchDecoder(IndexerConfig config) {
    this(List.of(DocumentMapper.events(config)));
    if (config.sessionsEnabled()) {
      add(DocumentMapper.sessions(config));
    }
    if (config.alertsEnabled()) {
      add(DocumentMapper.alerts(config));
    }
  }

  BatchDecoder(List<DocumentMapper<?>> mappers) {
    mappers.forEach(this::add);
  }

  private void add(DocumentMapper<?> mapper) {
    mappers.put(mapper.topic(), mapper);
  }

  Batch decode(ConsumerRecords<byte[], byte[]> records) {
    List<BulkItem> items = new ArrayList<>(records.count());
    List<DeadLetter> dead = new ArrayList<>();
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> blocked = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      DocumentMapper<?> mapper = mappers.get(tp.topic());
      if (mapper == null) {
        throw new IllegalStateException("Polled a record of topic " + tp.topic() + ", which the indexer does not consume");
      }
      ConsumerRecord<byte[], byte[]> last = null;
      for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
        if (decodeOne(mapper, record, items, dead)) {
          last = record;
        } else {
          blocked.put(tp, record);
          break;
        }
      }
      ConsumerRecord<byte[], byte[]> stop = blocked.get(tp);
      if (stop != null) {
        offsets.put(tp, new OffsetAndMetadata(stop.offset(), stop.leaderEpoch(), ""));
      } else if (last != null) {
        offsets.put(tp, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
      }
    }
    return new Batch(items, dead, blocked, offsets);
  }

  /** Adds the record's document or dead letter; returns false (adding nothing) if its writer schema is unknown. */
  private static <T extends SpecificRecord> boolean decodeOne(DocumentMapper<T> mapper, ConsumerRecord<byte[], byte[]> record, List<BulkItem> items,
      List<DeadLetter> dead) {
    if (record.value() == null) {
      dead.add(new DeadLetter(record, DeadLetter.NULL_VALUE, "record has no value", mapper.idHeader(), null));
      return true;
    }
    T value;
    try {
      value = mapper.decode(record.value());
    } catch (RuntimeException e) {
      if (unknownWriterSchema(e)) {
        return false;
      }
      dead.add(new DeadLetter(record, DeadLetter.UNDECODABLE, e.getMessage(), mapper.idHeader(), null));
      return true;
    }
    String id = null;
    try {
      id = mapper.id(value);
      items.add(mapper.item(record, value, id));
    } catch (RuntimeException e) {
      dead.add(new DeadLetter(record, DeadLetter.UNCONVERTIBLE, e.toString(), mapper.idHeader(), id));
    }
    return true;
  }

  /** AvroSerde's "Unknown writer schema" failure: a valid header with a schema fingerprint this build does not know. */
  static boolean unknownWriterSchema(Throwable e) {
    return e instanceof SerializationException
        && (e.getCause() instanceof MissingSchemaException
            || (e.getMessage() != null && e.getMessage().startsWith("Unknown writer schema")));
  }
}

package dev.vigil.schema.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for Vigil's Avro records using Avro single-object encoding: two marker bytes {@code C3 01}, the
 * 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. Any consumer that
 * knows the published schemas can decode the payload without a schema registry.
 *
 * <p>The decoder knows the current schema and every previously published version passed to {@link #of(Class,
 * Schema, List)}, so records written by older gateways are resolved into the current shape.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, Schema schema, List<Schema> previousVersions) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    SchemaStore.Cache store = new SchemaStore.Cache();
    previousVersions.forEach(store::addSchema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, store);
  }

  /** A serde for {@code type} whose current schema is {@code schema}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Schema schema) {
    return new AvroSerde<>(type, schema, List.of());
  }

  /** A serde that can also decode records written with any of {@code previousVersions}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Schema schema, List<Schema> previousVersions) {
    return new AvroSerde<>(type, Objects.requireNonNull(schema), List.copyOf(previousVersions));
  }

  /** Encodes one record in single-object encoding. */
  public byte[] encode(T record) {
    try {
      ByteBuffer buf = encoder.encode(record);
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes one single-object-encoded record; throws {@link SerializationException} naming the problem. */
  public T decode(byte[] data) {
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new SerializationException("Unknown writer schema for " + type.getSimpleName() + ": " + e.getMessage(), e);
    } catch (BadHeaderException e) {
      throw new SerializationException("Not an Avro single-object encoded " + type.getSimpleName() + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Corrupt " + type.getSimpleName() + " record: " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, data) -> data == null ? null : encode(data);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> data == null ? null : decode(data);
  }
}

package dev.vigil.streams.session;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import dev.vigil.schema.SessionSummary;
import dev.vigil.schema.chain.HashChain;
import dev.vigil.schema.serde.AvroSerde;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * The open-session store's value format (store and changelog): {@code version (1) | flags (1, bit 0 = dirty) |
 * chain head (32) | SessionSummary in Avro single-object encoding}. The summary part reads every published
 * SessionSummary version, so the state survives schema evolution like the topic does.
 */
final class SessionStateSerde implements Serde<SessionState> {

  static final byte VERSION = 1;
  private static final int HEADER = 2 + HashChain.DIGEST_BYTES;

  private final AvroSerde<SessionSummary> summaries = VigilSerdes.sessions();

  @Override
  public Serializer<SessionState> serializer() {
    return (topic, state) -> {
      if (state == null) {
        return null;
      }
      byte[] summary = summaries.encode(state.stored());
      return ByteBuffer.allocate(HEADER + summary.length)
          .put(VERSION)
          .put((byte) (state.dirty() ? 1 : 0))
          .put(state.head())
          .put(summary)
          .array();
    };
  }

  @Override
  public Deserializer<SessionState> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      if (data.length < HEADER || data[0] != VERSION) {
        throw new SerializationException("Not a version-" + VERSION + " session state (" + data.length + " bytes, version "
            + (data.length == 0 ? "none" : data[0]) + ")");
      }
      byte[] head = Arrays.copyOfRange(data, 2, HEADER);
      SessionSummary summary = summaries.decode(Arrays.copyOfRange(data, HEADER, data.length));
      return new SessionState(summary, head, (data[1] & 1) != 0);
    };
  }
}

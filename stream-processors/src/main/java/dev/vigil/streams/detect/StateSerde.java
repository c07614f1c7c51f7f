package dev.vigil.streams.detect;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.vigil.schema.Identity;

/**
 * A compact binary serde for the detectors' internal state and repartition records (never a public topic): a format
 * byte, then the fields as written by the record's writer. A record of an unknown format fails loudly.
 */
final class StateSerde {

  interface Writer<T> {
    void write(DataOutputStream out, T value) throws IOException;
  }

  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private StateSerde() {}

  static <T> Serde<T> of(String what, int format, Writer<T> writer, Reader<T> reader) {
    return Serdes.serdeFrom(
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
          try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(format);
            writer.write(out, value);
          } catch (IOException e) {
            throw new SerializationException("Cannot serialise " + what + ": " + e.getMessage(), e);
          }
          return bytes.toByteArray();
        },
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int f = in.readUnsignedByte();
            if (f != format) {
              throw new SerializationException("Cannot read " + what + ": format " + f + ", expected " + format);
            }
            return reader.read(in);
          } catch (IOException e) {
            throw new SerializationException("Cannot read " + what + ": " + e.getMessage(), e);
          }
        });
  }

  /** A nullable string (length-prefixed UTF-8, -1 for null; not limited to 64 KiB like writeUTF). */
  static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > in.available()) {
      throw new IOException("string of " + n + " bytes in a record with " + in.available() + " left");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  static void writeIdentity(DataOutputStream out, Identity id) throws IOException {
    writeString(out, id.getSubject());
    writeString(out, id.getUsername());
    writeStrings(out, id.getGroups() == null ? List.of() : id.getGroups());
    writeString(out, id.getIssuer());
    out.writeBoolean(id.getAuthenticated());
  }

  static Identity readIdentity(DataInputStream in) throws IOException {
    return Identity.newBuilder()
        .setSubject(readString(in))
        .setUsername(readString(in))
        .setGroups(readStrings(in))
        .setIssuer(readString(in))
        .setAuthenticated(in.readBoolean())
        .build();
  }

  static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      writeString(out, s);
    }
  }

  static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad list size " + n);
    }
    List<String> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(readString(in));
    }
    return out;
  }
}

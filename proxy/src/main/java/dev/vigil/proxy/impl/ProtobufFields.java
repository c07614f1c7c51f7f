package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough protobuf wire-format reading to find a watch event's type: a {@code metav1.WatchEvent} has
 * {@code type} as field 1 (string); when the frame carries the {@code k8s\0} envelope ({@code runtime.Unknown}), the
 * event is its field 2 ({@code raw}). Anything malformed yields null.
 */
final class ProtobufFields {

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufFields() {}

  static String watchEventType(byte[] frame) {
    byte[] event = frame;
    if (frame.length >= 4 && Arrays.equals(Arrays.copyOf(frame, 4), MAGIC)) {
      event = field(Arrays.copyOfRange(frame, 4, frame.length), 2);
      if (event == null) {
        return null;
      }
    }
    byte[] type = field(event, 1);
    return type == null ? null : new String(type, StandardCharsets.UTF_8);
  }

  /** The bytes of the first length-delimited field {@code number} in {@code message}, or null. */
  static byte[] field(byte[] message, int number) {
    int[] pos = {0};
    while (pos[0] < message.length) {
      long key = varint(message, pos);
      if (key < 0) {
        return null;
      }
      int wire = (int) (key & 7);
      long fieldNumber = key >>> 3;
      switch (wire) {
        case 0:
          if (varint(message, pos) < 0) {
            return null;
          }
          break;
        case 1:
          pos[0] += 8;
          break;
        case 5:
          pos[0] += 4;
          break;
        case 2:
          long len = varint(message, pos);
          if (len < 0 || pos[0] + len > message.length) {
            return null;
          }
          if (fieldNumber == number) {
            return Arrays.copyOfRange(message, pos[0], pos[0] + (int) len);
          }
          pos[0] += (int) len;
          break;
        default:
          return null;
      }
    }
    return null;
  }

  private static long varint(byte[] b, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        return -1;
      }
      byte x = b[pos[0]++];
      result |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
    }
    return -1;
  }
}

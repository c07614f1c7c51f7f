package dev.vigil.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of recorded and relayed bytes: malformed input is reported (null), never replaced. */
public final class Utf8 {

  private Utf8() {}

  /** The bytes as UTF-8; null when they are not valid UTF-8. */
  public static String strict(byte[] bytes) {
    return strict(bytes, bytes.length);
  }

  /**
   * The bytes as UTF-8, where a body cut at a cap ({@code cut}) may end in the middle of a character: up to three
   * trailing bytes of such a character are dropped. Null when the bytes are not valid UTF-8 otherwise.
   */
  public static String strictCut(byte[] bytes, boolean cut) {
    int maxTrim = cut ? Math.min(3, bytes.length) : 0;
    for (int trim = 0; trim <= maxTrim; trim++) {
      String text = strict(bytes, bytes.length - trim);
      if (text != null) {
        return text;
      }
    }
    return null;
  }

  private static String strict(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}

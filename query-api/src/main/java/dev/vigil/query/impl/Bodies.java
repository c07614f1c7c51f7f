package dev.vigil.query.impl;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.json.JsonObject;

/** The recorded body of an event document as text: TEXT as stored, BASE64 decoded (invalid UTF-8 replaced). */
final class Bodies {

  /** Longest {@code detail} of a transcript step; longer text is cut and ends with an ellipsis. */
  static final int DETAIL_MAX_CHARS = 4000;

  private Bodies() {}

  /** The body's text, or null when the event has no body. */
  static String text(JsonObject event) {
    String content = Documents.string(event, "body", "content");
    if (content == null) {
      return null;
    }
    if (!"BASE64".equals(Documents.string(event, "body", "encoding"))) {
      return content;
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(content);
    } catch (IllegalArgumentException e) {
      return content; // not base64 after all (a cut in the middle of a quantum is decoded by the MIME decoder)
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not fail", e);
    }
  }

  /** {@code s} cut to {@link #DETAIL_MAX_CHARS}, or null. */
  static String cap(String s) {
    if (s == null || s.length() <= DETAIL_MAX_CHARS) {
      return s;
    }
    int end = DETAIL_MAX_CHARS - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }
}

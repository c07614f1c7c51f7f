package dev.vigil.proxy.llm;

import java.util.Base64;

import dev.vigil.codec.Utf8;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import io.vertx.core.buffer.Buffer;

/** Recorded bodies of LLM calls: whole (uncut) text bodies; the gateway's core masks them, then cuts them. */
final class LlmBodies {

  static final String JSON = "application/json";

  private LlmBodies() {}

  /** A whole text body; {@code truncated} when {@code text} is already not all of it (cut while assembled). */
  static Body text(String contentType, String text, long originalSize, boolean truncated) {
    return Body.newBuilder().setContentType(contentType).setEncoding(BodyEncoding.TEXT).setContent(text)
        .setOriginalSize(originalSize).setTruncated(truncated).setMasked(false).build();
  }

  /** A body as received: TEXT when it is UTF-8, else BASE64; null when empty. */
  static Body of(String contentType, Buffer bytes, long originalSize, boolean truncated) {
    if (bytes == null || (bytes.length() == 0 && originalSize == 0)) {
      return null;
    }
    String text = utf8(bytes, truncated);
    if (text != null) {
      return text(contentType, text, originalSize, truncated);
    }
    return Body.newBuilder().setContentType(contentType).setEncoding(BodyEncoding.BASE64)
        .setContent(Base64.getEncoder().encodeToString(bytes.getBytes())).setOriginalSize(originalSize)
        .setTruncated(truncated).setMasked(false).build();
  }

  /** The bytes as UTF-8 (a character cut at the end is dropped when {@code cut}); null when not valid UTF-8. */
  static String utf8(Buffer bytes, boolean cut) {
    return Utf8.strictCut(bytes.getBytes(), cut);
  }

}

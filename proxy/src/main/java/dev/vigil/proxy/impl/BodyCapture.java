package dev.vigil.proxy.impl;

import java.util.Base64;
import java.util.Locale;

import dev.vigil.codec.Utf8;
import dev.vigil.proxy.impl.content.RecordedContent;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import io.vertx.core.buffer.Buffer;

/**
 * A capped tee of a body: keeps the first {@code cap} bytes for the recording and counts every byte. The recorded
 * {@link Body} is UTF-8 text when the content type is JSON, YAML or text and the kept bytes are valid UTF-8 (a
 * multi-byte character cut by the cap is dropped), otherwise base64; truncation is always flagged.
 */
final class BodyCapture {

  private final int cap;
  private final String contentType;
  private final boolean textual;
  private final Buffer kept;
  private long total;

  BodyCapture(int cap, String contentType) {
    this(cap, contentType, isTextual(contentType));
  }

  /** @param textual record as TEXT when the kept bytes are valid UTF-8, whatever the content type says */
  BodyCapture(int cap, String contentType, boolean textual) {
    this.cap = cap;
    this.contentType = contentType;
    this.textual = textual;
    this.kept = Buffer.buffer(Math.max(0, Math.min(cap, 8192)));
  }

  /** Feeds the next chunk of the body. */
  void append(Buffer chunk) {
    total += chunk.length();
    int room = cap - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
    }
  }

  long total() {
    return total;
  }

  /** The recorded body, or null when there was none. */
  Body toBody() {
    return toBody(total);
  }

  /** The recorded body with an explicit original size (for a request body still streaming when recorded). */
  Body toBody(long originalSize) {
    if (total == 0 && originalSize <= 0) {
      return null;
    }
    return build(originalSize);
  }

  /** The recorded frame: like {@link #toBody()}, but an empty frame is an empty body rather than none. */
  Body toFrameBody() {
    return build(total);
  }

  private Body build(long originalSize) {
    boolean truncated = originalSize > kept.length() || total > kept.length();
    byte[] bytes = kept.getBytes();
    String text = textual ? Utf8.strictCut(bytes, truncated) : null;
    text = RecordedContent.text(contentType, bytes, truncated, text); // protobuf, YAML captured whole -> JSON text
    return Body.newBuilder()
        .setContentType(contentType)
        .setEncoding(text != null ? BodyEncoding.TEXT : BodyEncoding.BASE64)
        .setContent(text != null ? text : Base64.getEncoder().encodeToString(bytes))
        .setOriginalSize(Math.max(originalSize, total))
        .setTruncated(truncated)
        .setMasked(false)
        .build();
  }

  static boolean isTextual(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.toLowerCase(Locale.ROOT);
    int semi = t.indexOf(';');
    if (semi >= 0) {
      t = t.substring(0, semi);
    }
    t = t.strip();
    return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json")
        || t.equals("application/yaml") || t.equals("application/x-yaml") || t.endsWith("+yaml")
        || t.equals("application/xml") || t.endsWith("+xml");
  }

  /** The bytes as UTF-8, allowing a character cut at the end when truncated; null when not valid UTF-8. */

}

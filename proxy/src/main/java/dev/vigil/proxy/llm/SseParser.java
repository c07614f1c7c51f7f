package dev.vigil.proxy.llm;

import java.util.ArrayList;
import java.util.List;

import dev.vigil.codec.Utf8;

import io.vertx.core.buffer.Buffer;

/**
 * An incremental parser of a server-sent event stream (the WHATWG event stream format) that keeps the raw bytes of
 * each block, so that the relay forwards exactly what the upstream sent, one whole event at a time, as soon as the
 * blank line ending it has arrived — whatever the chunking.
 *
 * <p>Lines end with CRLF, LF or CR (a CR at the end of a chunk may be followed by its LF in the next one); a blank line
 * ends a block; a line starting with {@code :} is a comment; otherwise {@code field:value} with one optional space
 * after the colon, {@code field} alone meaning an empty value. {@code data} lines are joined with {@code \n};
 * {@code event} names the event; other fields are ignored. A block with no {@code data} line (a keep-alive comment)
 * dispatches no event but its bytes are relayed. A leading byte order mark is ignored.
 *
 * <p>Malformed ({@link MalformedException}): a line that is not UTF-8, or a block larger than {@code maxBlockBytes}
 * (the parser never holds more than that). Event-loop confined.
 */
final class SseParser {

  /** One complete block: its bytes as received, and the event it dispatches (null for a comment-only block). */
  record Block(Buffer raw, Event event) {}

  /**
   * One server-sent event.
   *
   * @param name  the {@code event:} field, {@code message} when the event has none
   * @param data  the {@code data:} lines joined with {@code \n}
   * @param index 0-based position of the event in its stream
   */
  record Event(String name, String data, long index) {
    static final String DEFAULT_NAME = "message";
  }

  /** The event stream is not valid (for SSE, or for its provider): it is relayed up to the last valid event. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private final int maxBlockBytes;
  private Buffer pending = Buffer.buffer();
  private int blockStart;
  private int scan;
  private int lineStart;
  private boolean skipLf;
  private boolean firstLine = true;
  private String eventName;
  private StringBuilder data;
  private long events;

  SseParser(int maxBlockBytes) {
    if (maxBlockBytes <= 0) {
      throw new IllegalArgumentException("maxBlockBytes must be positive");
    }
    this.maxBlockBytes = maxBlockBytes;
  }

  /** Feeds the next chunk; returns the blocks it completed, in order. */
  List<Block> feed(Buffer chunk) throws MalformedException {
    pending.appendBuffer(chunk);
    List<Block> out = new ArrayList<>(2);
    while (scan < pending.length()) {
      byte b = pending.getByte(scan);
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          lineStart = ++scan;
          continue;
        }
      }
      if (b != '\n' && b != '\r') {
        scan++;
        continue;
      }
      int lineEnd = scan++;
      skipLf = b == '\r';
      boolean blank = lineEnd == lineStart;
      if (!blank) {
        line(lineStart, lineEnd);
      }
      lineStart = scan;
      if (blank) {
        if (skipLf && scan < pending.length() && pending.getByte(scan) == '\n') {
          skipLf = false;
          lineStart = ++scan;
        }
        out.add(new Block(pending.getBuffer(blockStart, scan), dispatch()));
        blockStart = scan;
      }
    }
    if (blockStart > 0) {
      pending = pending.getBuffer(blockStart, pending.length());
      scan -= blockStart;
      lineStart -= blockStart;
      blockStart = 0;
    }
    if (pending.length() > maxBlockBytes) {
      throw new MalformedException("an event exceeds " + maxBlockBytes + " bytes");
    }
    return out;
  }

  /** At the end of the stream: whether it stopped inside a block (that event was cut and is not dispatched). */
  boolean incomplete() {
    return lineStart < pending.length() || eventName != null || data != null;
  }

  /** Events dispatched so far. */
  long events() {
    return events;
  }

  private void line(int start, int end) throws MalformedException {
    if (firstLine) {
      firstLine = false;
      if (end - start >= 3 && (pending.getByte(start) & 0xff) == 0xEF && (pending.getByte(start + 1) & 0xff) == 0xBB
          && (pending.getByte(start + 2) & 0xff) == 0xBF) {
        start += 3;
      }
    }
    String line = utf8(pending.getBytes(start, end));
    if (line.isEmpty() || line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value.length() + 1);
      }
      data.append(value).append('\n');
    } else if (field.equals("event")) {
      eventName = value;
    }
  }

  private Event dispatch() {
    Event event = null;
    if (data != null) {
      String d = data.substring(0, data.length() - 1);
      String name = eventName == null || eventName.isEmpty() ? Event.DEFAULT_NAME : eventName;
      event = new Event(name, d, events++);
    }
    eventName = null;
    data = null;
    return event;
  }

  private static String utf8(byte[] bytes) throws MalformedException {
    String text = Utf8.strict(bytes);
    if (text == null) {
      throw new MalformedException("a line of the event stream is not valid UTF-8");
    }
    return text;
  }

}

package dev.vigil.proxy.impl;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.vigil.schema.Direction;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a watch response into its events as the bytes pass through, one StreamFrame per event with its
 * {@code watchEventType}: newline-delimited JSON ({@code {"type":"ADDED","object":…}}, also Table watches), or
 * length-prefixed protobuf ({@code application/vnd.kubernetes.protobuf;stream=watch}: 4-byte big-endian length, then
 * a {@code WatchEvent}). An event larger than the frame cap is recorded truncated; its type is read from the part kept.
 */
final class WatchFramer implements Handler<Buffer> {

  private static final JsonFactory JSON = new JsonFactory();

  private final FrameRecorder frames;
  private final String contentType;
  private final boolean protobuf;
  private final int cap;
  private Buffer kept = Buffer.buffer();
  private long size;
  /** Protobuf framing: bytes of the length prefix read so far, and the length of the frame in progress. */
  private final byte[] prefix = new byte[4];
  private int prefixRead;
  private long remaining = -1;

  WatchFramer(FrameRecorder frames, String contentType) {
    this.frames = frames;
    this.contentType = contentType;
    this.protobuf = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("protobuf");
    this.cap = frames.limits().maxFrameBytes();
  }

  @Override
  public void handle(Buffer chunk) {
    if (protobuf) {
      protobufChunk(chunk);
      return;
    }
    int start = 0;
    for (int i = 0; i < chunk.length(); i++) {
      if (chunk.getByte(i) == '\n') {
        append(chunk, start, i + 1);
        emitJson();
        start = i + 1;
      }
    }
    append(chunk, start, chunk.length());
  }

  /** The stream ended: an event without its final newline is still an event. */
  void end() {
    if (!protobuf) {
      emitJson();
    } else if (remaining >= 0 && size > 0) {
      emit(ProtobufFields.watchEventType(kept.getBytes()));
    }
  }

  private void protobufChunk(Buffer chunk) {
    int i = 0;
    while (i < chunk.length()) {
      if (remaining < 0) {
        prefix[prefixRead++] = chunk.getByte(i++);
        if (prefixRead == 4) {
          remaining = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
          prefixRead = 0;
        }
      } else {
        int n = (int) Math.min(remaining, chunk.length() - i);
        append(chunk, i, i + n);
        i += n;
        remaining -= n;
      }
      if (remaining == 0) {
        emit(ProtobufFields.watchEventType(kept.getBytes()));
        remaining = -1;
      }
    }
  }

  private void append(Buffer chunk, int from, int to) {
    if (to <= from) {
      return;
    }
    size += to - from;
    int room = cap - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk, from, Math.min(room, to - from));
    }
  }

  private void emitJson() {
    if (size == 0) {
      return;
    }
    if (isBlank(kept)) {
      reset();
      return;
    }
    emit(jsonType(kept));
  }

  private void emit(String watchType) {
    if (frames.accepting()) {
      BodyCapture capture = frames.capture(contentType, !protobuf);
      capture.append(kept);
      frames.frame(Direction.TO_CLIENT, null, watchType, size == 0 ? capture.toFrameBody() : capture.toBody(size));
    } else {
      frames.skip(Direction.TO_CLIENT);
    }
    reset();
  }

  private void reset() {
    kept = Buffer.buffer();
    size = 0;
  }

  private static boolean isBlank(Buffer b) {
    for (int i = 0; i < b.length(); i++) {
      byte c = b.getByte(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The top-level {@code type} of a JSON watch event, read from what was kept (null if it is not there). */
  static String jsonType(Buffer event) {
    try (JsonParser p = JSON.createParser(event.getBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // truncated or not JSON: no type
    }
    return null;
  }
}

package dev.vigil.proxy.impl;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Direction;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a watch response into its events as the bytes pass through, one StreamFrame per event with its
 * {@code watchEventType}: newline-delimited JSON ({@code {"type":"ADDED","object":…}}, also Table watches), or
 * length-prefixed protobuf ({@code application/vnd.kubernetes.protobuf;stream=watch}: 4-byte big-endian length, then
 * a {@code WatchEvent}). An event larger than the frame cap is recorded truncated; its type is read from the part kept.
 *
 * <p>As a tap ({@link #WatchFramer(FrameRecorder, String)}) it only looks at the bytes relayed. In masking mode
 * ({@link #masking}: maskResponse, JSON watches only — the gateway asks the API server for JSON) it is what the caller
 * receives: each event is kept whole (up to {@link ResponseMasking#maxBytes()}), masked once, relayed masked and
 * recorded as relayed with the findings of the whole event. An event over that limit, or one that cannot be masked,
 * ends the watch with an {@code ERROR} event carrying a Status that says why (fail closed).
 */
final class WatchFramer implements MaskedStream.Transform {

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
  /** Masking mode: the caller's side of the stream (null for a tap), what masks, and whether these are Secrets. */
  private MaskedStream out;
  private ResponseMasking masking;
  private Exchange ex;
  private boolean secrets;
  private boolean stopped;

  WatchFramer(FrameRecorder frames, String contentType) {
    this.frames = frames;
    this.contentType = contentType;
    this.protobuf = isProtobuf(contentType);
    this.cap = frames.limits().maxFrameBytes();
  }

  /** A framer that relays the masked events to {@code out} (JSON watches only). */
  static WatchFramer masking(FrameRecorder frames, String contentType, ResponseMasking masking, Exchange ex,
      MaskedStream out) {
    if (isProtobuf(contentType)) {
      throw new IllegalArgumentException("a protobuf watch cannot be masked");
    }
    WatchFramer w = new WatchFramer(frames, contentType);
    w.out = out;
    w.masking = masking;
    w.ex = ex;
    w.secrets = ex.parsed != null && "secrets".equals(ex.parsed.info().getResource());
    return w;
  }

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("protobuf");
  }

  @Override
  public void handle(Buffer chunk) {
    if (stopped) {
      return;
    }
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
  @Override
  public void end() {
    if (stopped) {
      return;
    }
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

  @Override
  public void stop() {
    stopped = true;
    reset();
  }

  private void append(Buffer chunk, int from, int to) {
    if (to <= from || stopped) {
      return;
    }
    size += to - from;
    if (out != null) {
      if (size > masking.maxBytes()) {
        refuse("a watch event larger than " + masking.maxBytes() + " bytes (vigil.proxy.max-masked-response-bytes)");
      } else {
        kept.appendBuffer(chunk, from, to - from);
      }
      return;
    }
    int room = cap - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk, from, Math.min(room, to - from));
    }
  }

  private void emitJson() {
    if (size == 0 || stopped) {
      return;
    }
    if (out != null) {
      emitMasked();
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

  /** Masking mode: relays the event masked and records it as relayed, with the findings of all of it. */
  private void emitMasked() {
    Buffer event = kept;
    reset();
    if (isBlank(event)) {
      out.emit(event);
      return;
    }
    ResponseMasking.Result r = masking.body(contentType, event, secrets);
    if (r.refused()) {
      refuse(r.refusal());
      return;
    }
    out.emit(r.bytes());
    masking.read(ex, r.findings());
    if (!frames.accepting()) {
      frames.skip(Direction.TO_CLIENT);
      return;
    }
    BodyCapture capture = frames.capture(contentType, true);
    capture.append(r.bytes());
    Body recorded = capture.toFrameBody();
    if (recorded.getEncoding() == BodyEncoding.TEXT) {
      recorded = BodyMasking.preMasked(ex, recorded, r.findings());
    }
    frames.frame(Direction.TO_CLIENT, null, jsonType(event), recorded);
  }

  /** Fail closed: the watch ends with an ERROR event whose Status says why. */
  private void refuse(String why) {
    StatusErrors.StatusError status = new StatusErrors.StatusError(502, "InternalError",
        "Vigil ended the watch because it could not mask an event for you (maskResponse): " + why);
    Buffer error = Buffer.buffer("{\"type\":\"ERROR\",\"object\":").appendBuffer(status.toBuffer()).appendString("}\n");
    out.endEarly(error, why);
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

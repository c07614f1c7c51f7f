package dev.vigil.proxy.impl;

import java.util.Base64;
import java.util.Locale;

import dev.vigil.schema.Direction;
import dev.vigil.schema.StreamKind;
import io.vertx.core.buffer.Buffer;

/**
 * Reads the messages of a Kubernetes streaming WebSocket for recording, by the subprotocol the upstream chose. The
 * channel protocols ({@code v5.channel.k8s.io} … {@code channel.k8s.io}, {@code portforward.k8s.io}) put the channel
 * number in the first byte of each binary message (0 stdin, 1 stdout, 2 stderr, 3 error — a Status JSON from v4 on —,
 * 4 resize, and in v5 255 = close a stream, whose data is the channel closed); the {@code base64.*} variants send
 * text messages whose first character is the channel digit and whose rest is base64. Any other protocol (e.g.
 * {@code SPDY/3.1+portforward.k8s.io}, kubectl's port-forward tunnel) is recorded message by message, without channel.
 */
final class ChannelCodec {

  /** One message as recorded: channel (or null), payload, and how to record the payload. */
  record Decoded(Integer channel, Buffer data, String contentType, boolean textual) {}

  static final int STDIN = 0;
  static final int ERROR = 3;
  static final int RESIZE = 4;
  static final int CLOSE = 255;

  private final boolean channels;
  private final boolean base64;
  private final boolean statusJson;

  ChannelCodec(String subprotocol) {
    String p = subprotocol == null ? "" : subprotocol.toLowerCase(Locale.ROOT);
    this.channels = p.endsWith("channel.k8s.io") || p.equals("portforward.k8s.io");
    this.base64 = p.contains("base64");
    this.statusJson = p.startsWith("v4.") || p.startsWith("v5.");
  }

  boolean channels() {
    return channels;
  }

  /** Records {@code message} as the next frame of {@code frames} (or counts it, once the frame cap is reached). */
  void record(FrameRecorder frames, Direction direction, Buffer message, boolean binary) {
    if (!frames.accepting()) {
      frames.skip(direction);
      return;
    }
    Decoded d = decode(message, binary);
    BodyCapture capture = frames.capture(d.contentType(), d.textual());
    capture.append(d.data());
    String watchType = frames.kind() == StreamKind.WATCH ? WatchFramer.jsonType(d.data()) : null;
    frames.frame(direction, d.channel(), watchType, capture.toFrameBody());
  }

  Decoded decode(Buffer message, boolean binary) {
    if (!channels || message.length() == 0) {
      return new Decoded(null, message, null, !binary || channels);
    }
    int channel;
    Buffer data;
    if (base64 && !binary) {
      channel = Character.digit((char) message.getByte(0), 10);
      if (channel < 0) {
        return new Decoded(null, message, null, true);
      }
      try {
        data = Buffer.buffer(Base64.getDecoder().decode(message.getString(1, message.length())));
      } catch (IllegalArgumentException e) {
        data = message.getBuffer(1, message.length());
      }
    } else if (binary) {
      channel = message.getByte(0) & 0xFF;
      data = message.getBuffer(1, message.length());
    } else {
      return new Decoded(null, message, null, true);
    }
    if (channel == ERROR) {
      return new Decoded(channel, data, statusJson ? "application/json" : "text/plain", true);
    }
    if (channel == RESIZE) {
      return new Decoded(channel, data, "application/json", true);
    }
    return new Decoded(channel, data, null, channel != CLOSE);
  }
}

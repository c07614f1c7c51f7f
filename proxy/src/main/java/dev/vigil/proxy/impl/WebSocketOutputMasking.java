package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * exec/attach output as a caller under {@code maskResponse} receives it: stdout (1) and stderr (2) are each a text
 * stream masked as it flows ({@link TextStreamMasker}: complete lines at once, a partial line held briefly, a private
 * key block held whole); the error channel (3, the exit Status) is masked whole, after what the output channels still
 * held; anything else (and every message towards the upstream) is relayed as it is. Masked data is re-framed as it
 * came: binary messages with the channel byte, or the {@code base64.channel.k8s.io} text form. Without a channel
 * protocol the messages are one text stream. Port-forward is never masked (an arbitrary binary protocol).
 * Event-loop confined.
 */
final class WebSocketOutputMasking {

  private static final int WHOLE = -1;

  private final ResponseMasking masking;
  private final ChannelCodec codec;
  private final Vertx vertx;
  private final long holdMillis;
  private final BiConsumer<Buffer, Boolean> send;
  private final Consumer<String> fail;
  private final Map<Integer, TextStreamMasker> streams = new TreeMap<>();

  /**
   * @param send where masked messages go (message, binary)
   * @param fail the output cannot be masked any further: end the session, saying why
   */
  WebSocketOutputMasking(ResponseMasking masking, ChannelCodec codec, Vertx vertx, long holdMillis,
      BiConsumer<Buffer, Boolean> send, Consumer<String> fail) {
    this.masking = masking;
    this.codec = codec;
    this.vertx = vertx;
    this.holdMillis = holdMillis;
    this.send = send;
    this.fail = fail;
  }

  /** One message from the upstream towards the caller. */
  void toClient(Buffer message, boolean binary) {
    if (message.length() == 0) {
      send.accept(message, binary);
      return;
    }
    if (!codec.channels()) {
      stream(WHOLE, binary, null).handle(message);
      return;
    }
    ChannelCodec.Decoded d = codec.decode(message, binary);
    Integer channel = d.channel();
    if (channel == null) { // a message outside the channel framing: masked whole
      send.accept(masking.text(null, message).bytes(), binary);
    } else if (channel == 1 || channel == 2) {
      stream(channel, binary, d.contentType()).handle(d.data());
    } else if (channel == ChannelCodec.ERROR) {
      end(); // the output first, then the exit status
      send.accept(frame(channel, masking.text(d.contentType(), d.data()).bytes(), binary), binary);
    } else {
      end();
      send.accept(message, binary);
    }
  }

  /** The session ends: what the output channels still hold is relayed masked. */
  void end() {
    streams.values().forEach(TextStreamMasker::end);
    streams.clear();
  }

  /** The session was ended otherwise: nothing more is relayed. */
  void stop() {
    streams.values().forEach(TextStreamMasker::stop);
    streams.clear();
  }

  private TextStreamMasker stream(int channel, boolean binary, String contentType) {
    return streams.computeIfAbsent(channel, c -> new TextStreamMasker(masking, contentType, vertx, holdMillis,
        new TextStreamMasker.Output() {
          @Override
          public void emit(Buffer masked) {
            send.accept(channel == WHOLE ? masked : frame(channel, masked, binary), binary);
          }

          @Override
          public void fail(String reason) {
            stop();
            fail.accept(reason);
          }
        }));
  }

  /** {@code data} on {@code channel}, framed as the subprotocol frames it. */
  private static Buffer frame(int channel, Buffer data, boolean binary) {
    if (binary) {
      return Buffer.buffer(data.length() + 1).appendByte((byte) channel).appendBuffer(data);
    }
    return Buffer.buffer(Character.forDigit(channel, 10) + Base64.getEncoder().encodeToString(data.getBytes()),
        StandardCharsets.UTF_8.name());
  }
}

package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.exec.PretendPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * kubectl's port-forward (1.31+ default): SPDY/3.1 tunnelled over a WebSocket with subprotocol
 * {@code SPDY/3.1+portforward.k8s.io}; the binary messages are a plain byte stream of SPDY
 * frames. Per forwarded connection kubectl opens an error stream and a data stream sharing a
 * {@code requestid} and {@code port}; kube-sim replies to both, serves the data stream with a
 * {@link PretendPort} and finishes both with FIN. Runs entirely on the WebSocket's event loop
 * (the frame codec is Netty's, in an {@link EmbeddedChannel}). No SPDY flow control: kubectl's
 * spdystream ignores window updates too.
 */
final class SpdyPortForward {

  private static final class Pair {
    int port;
    int errorStream;
    int dataStream;
    PretendPort server;
  }

  private final ServerWebSocket ws;
  private final JsonNode pod;
  private final String podName;
  private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final Map<String, Pair> pairs = new HashMap<>();
  private final Map<Integer, Pair> byStream = new HashMap<>();

  SpdyPortForward(ServerWebSocket ws, JsonNode pod, String podName) {
    this.ws = ws;
    this.pod = pod;
    this.podName = podName;
  }

  void start(Runnable onClose) {
    ws.binaryMessageHandler(this::onBytes);
    ws.exceptionHandler(e -> ws.close());
    ws.closeHandler(v -> {
      codec.finishAndReleaseAll();
      onClose.run();
    });
  }

  private void onBytes(Buffer bytes) {
    try {
      codec.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
      for (Object frame; (frame = codec.readInbound()) != null; ) {
        try {
          onFrame(frame);
        } finally {
          ReferenceCountUtil.release(frame);
        }
      }
    } catch (RuntimeException e) {
      ws.close((short) 1002, "invalid SPDY frame");
    }
    flush();
  }

  private void onFrame(Object frame) {
    if (frame instanceof SpdySynStreamFrame syn) {
      onSynStream(syn);
    } else if (frame instanceof SpdyDataFrame data) {
      onData(data);
    } else if (frame instanceof SpdyRstStreamFrame rst) {
      Pair p = byStream.get(rst.streamId());
      if (p != null) {
        forget(p);
      }
    } else if (frame instanceof SpdyPingFrame ping) {
      codec.writeOutbound(new DefaultSpdyPingFrame(ping.id()));
    } else if (frame instanceof SpdyGoAwayFrame) {
      ws.close();
    }
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
  }

  private void onSynStream(SpdySynStreamFrame syn) {
    SpdyHeaders h = syn.headers();
    String type = h.getAsString("streamtype");
    String portText = h.getAsString("port");
    int port;
    try {
      port = Integer.parseInt(portText == null ? "" : portText.trim());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535 || !("error".equals(type) || "data".equals(type))) {
      codec.writeOutbound(new DefaultSpdyRstStreamFrame(syn.streamId(), SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
    h.forEach(e -> reply.headers().add(e.getKey(), e.getValue())); // never an empty header block
    codec.writeOutbound(reply);
    String requestId = h.getAsString("requestid");
    Pair p = pairs.computeIfAbsent(requestId == null ? "port-" + port : requestId, k -> new Pair());
    p.port = port;
    if (type.equals("error")) {
      p.errorStream = syn.streamId();
    } else {
      p.dataStream = syn.streamId();
    }
    byStream.put(syn.streamId(), p);
    if (p.errorStream != 0 && p.dataStream != 0) {
      if (PretendPort.listening(pod, port)) {
        p.server = new PretendPort(podName, port);
      } else {
        String msg = "error forwarding port " + port + " to pod " + podName
            + ": dial tcp4 127.0.0.1:" + port + ": connect: connection refused (no container of the pod declares it)";
        codec.writeOutbound(new DefaultSpdyDataFrame(p.errorStream,
            Unpooled.wrappedBuffer(msg.getBytes(StandardCharsets.UTF_8))));
        finish(p);
      }
    }
  }

  private void onData(SpdyDataFrame data) {
    Pair p = byStream.get(data.streamId());
    if (p == null || data.streamId() != p.dataStream || p.server == null) {
      return;
    }
    byte[] reply = p.server.onData(ByteBufUtil.getBytes(data.content()));
    if (reply.length > 0) {
      codec.writeOutbound(new DefaultSpdyDataFrame(p.dataStream, Unpooled.wrappedBuffer(reply)));
    }
    if (p.server.closed() || data.isLast()) {
      finish(p);
    }
  }

  /** Half-closes both streams of a connection (FIN), as kubelet does when the pod side closes. */
  private void finish(Pair p) {
    codec.writeOutbound(new DefaultSpdyDataFrame(p.dataStream).setLast(true));
    codec.writeOutbound(new DefaultSpdyDataFrame(p.errorStream).setLast(true));
    forget(p);
  }

  private void forget(Pair p) {
    byStream.remove(p.dataStream);
    byStream.remove(p.errorStream);
    pairs.values().remove(p);
  }

  private void flush() {
    for (Object out; (out = codec.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) out;
      try {
        if (buf.isReadable() && !ws.isClosed()) {
          ws.writeBinaryMessage(Buffer.buffer(ByteBufUtil.getBytes(buf)));
        }
      } finally {
        buf.release();
      }
    }
  }
}

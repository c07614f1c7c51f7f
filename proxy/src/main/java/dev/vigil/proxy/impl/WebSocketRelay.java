package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vigil.schema.Direction;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamKind;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;

/**
 * One WebSocket call (exec, attach, port-forward, or any other upgrade) terminated on both sides: the gateway
 * connects upstream first — offering the caller's subprotocols (as {@link HeaderPolicy} left them: no bearer
 * subprotocol) with the gateway's credential and impersonation headers — then accepts the caller's upgrade with the
 * subprotocol the upstream chose, and relays message by message in both directions with backpressure, recording
 * each message as a StreamFrame ({@link ChannelCodec}). A close on one side closes the other with the same code.
 * The call ends with a ResponseCompleted: 101, the upstream's handshake headers, the close code of the side that
 * closed first ({@code vigil-close-code}), outcome UPSTREAM_CLOSED or CLIENT_DISCONNECTED (UPSTREAM_RESET when the
 * upstream connection was lost without a close frame) and the frame counters. Under {@code maskResponse}, exec and
 * attach output reaches the caller masked ({@link WebSocketOutputMasking}); what is recorded is the upstream's message,
 * masked by the recording. Opened by {@link WebSocketRelays}. Event-loop confined.
 */
final class WebSocketRelay {

  private static final ResponseOutcome OUTCOME_UPSTREAM_CLOSED = ResponseOutcome.UPSTREAM_CLOSED;
  private static final ResponseOutcome OUTCOME_CLIENT_CLOSED = ResponseOutcome.CLIENT_DISCONNECTED;
  /** Recorded header: the close code of the side that closed first (the schema has no field for it). */
  static final String CLOSE_CODE = "vigil-close-code";
  /** Recorded header of a strict stream the gateway ended because a frame could not be recorded. */
  static final String STRICT_ENDED = "vigil-strict-ended";
  private static final String STRICT_CLOSE_REASON = "Vigil recording unavailable (strict mode)";

  private final Exchange ex;
  private final CallRecorder recorder;
  private final GatewayLimits limits;
  /** Masks exec/attach output for the caller (maskResponse), or null. */
  private final ResponseMasking masking;
  private final Vertx vertx;
  private WebSocketOutputMasking output;
  private String maskEnded;
  private ClientWebSocket upstream;
  private ServerWebSocket client;
  /** What the upstream sent before the caller's side was accepted (the upstream is paused meanwhile). */
  private final List<Object[]> early = new ArrayList<>();
  private boolean upstreamEndedEarly;
  private ChannelCodec codec;
  private long bytesToClient;
  private ResponseOutcome firstClosed;
  private Short closeCode;
  private boolean upstreamLost;
  private int closed;

  WebSocketRelay(Exchange ex, CallRecorder recorder, GatewayLimits limits, ResponseMasking masking, Vertx vertx) {
    this.ex = ex;
    this.recorder = recorder;
    this.limits = limits;
    this.masking = masking;
    this.vertx = vertx;
  }

  void bindUpstream(ClientWebSocket up) {
    this.upstream = up;
    up.binaryMessageHandler(b -> toClient(b, true));
    up.textMessageHandler(t -> toClient(Buffer.buffer(t), false));
    up.drainHandler(v -> {
      if (client != null) {
        client.resume();
      }
    });
    up.endHandler(v -> {
      if (client == null) {
        upstreamEndedEarly = true;
      } else {
        closeOther(up, client, OUTCOME_UPSTREAM_CLOSED);
      }
    });
    up.closeHandler(v -> onClosed(up, client, OUTCOME_UPSTREAM_CLOSED));
    up.exceptionHandler(err -> tooBig(up, err));
  }

  void accept() {
    WebSocket up = upstream;
    String chosen = up.subProtocol();
    // The caller's handshake is answered from its own headers: offer exactly what the upstream chose.
    ex.request.headers().remove(WebSocketBearer.PROTOCOL_HEADER);
    if (chosen != null) {
      ex.request.headers().set(WebSocketBearer.PROTOCOL_HEADER, chosen);
    }
    ex.request.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        notAccepted(up);
        return;
      }
      wire(ar.result(), chosen);
    });
  }

  /**
   * The caller's side could not be accepted (it went away, or its handshake was refused after all — the gateway checks
   * it before connecting upstream): the upstream is closed, what it already sent is counted as dropped frames, and the
   * status the caller actually got is recorded (499 when it got none).
   */
  private void notAccepted(WebSocket up) {
    if (!up.isClosed()) {
      up.close((short) 1001, "caller went away");
    }
    ex.frames = new FrameRecorder(ex, recorder, WebSocketRelays.kind(ex), limits.streams());
    for (int i = 0; i < early.size(); i++) {
      ex.frames.skip(Direction.TO_CLIENT);
    }
    early.clear();
    var response = ex.request.response();
    boolean answered = response.headWritten();
    recorder.completed(ex, answered ? response.getStatusCode() : 499, Map.of(), null,
        answered ? response.bytesWritten() : 0, answered ? ResponseOutcome.COMPLETED : OUTCOME_CLIENT_CLOSED);
  }

  private void wire(ServerWebSocket c, String subprotocol) {
    this.client = c;
    this.codec = new ChannelCodec(subprotocol);
    ex.frames = new FrameRecorder(ex, recorder, WebSocketRelays.kind(ex), limits.streams());
    ex.strictAbort = () -> abort(STRICT_CLOSE_REASON, StrictRecording.STREAM_ENDED_MESSAGE);
    if (masking != null) {
      output = new WebSocketOutputMasking(masking, codec, vertx, limits.streams().logDelayMillis(), this::deliver,
          reason -> {
            maskEnded = reason;
            abort("Vigil could not mask the output", "Vigil ended the session because it could not mask its output "
                + "for you (maskResponse): " + reason);
          });
    }
    c.binaryMessageHandler(b -> toUpstream(b, true));
    c.textMessageHandler(t -> toUpstream(Buffer.buffer(t), false));
    c.drainHandler(v -> upstream.resume());
    c.endHandler(v -> closeOther(c, upstream, OUTCOME_CLIENT_CLOSED));
    c.closeHandler(v -> onClosed(c, upstream, OUTCOME_CLIENT_CLOSED));
    c.exceptionHandler(err -> tooBig(c, err));
    for (Object[] m : early) {
      toClient((Buffer) m[0], (Boolean) m[1]);
    }
    early.clear();
    if (upstreamEndedEarly) {
      closeOther(upstream, c, OUTCOME_UPSTREAM_CLOSED);
    }
    upstream.resume(); // also delivers a close frame still queued behind paused messages
    if (upstream.isClosed() && !closedByFrame(upstream) && firstClosed == null) {
      firstClosed = OUTCOME_UPSTREAM_CLOSED;
      upstreamLost = true;
      c.close((short) 1011, "upstream connection lost");
    }
  }

  /**
   * The gateway ends the session (strict recording: a frame could not be recorded in time; maskResponse: output that
   * cannot be masked). Relaying stops; the caller gets a Status saying {@code message} on the error channel (exec,
   * attach over a channel protocol) and both sides are closed with 1011.
   */
  private void abort(String closeReason, String message) {
    if (output != null) {
      output.stop();
    }
    if (firstClosed == null) {
      firstClosed = OUTCOME_UPSTREAM_CLOSED;
      closeCode = (short) 1011;
    }
    client.pause();
    upstream.pause();
    StreamKind kind = ex.frames.kind();
    if (!client.isClosed() && codec.channels() && (kind == StreamKind.EXEC || kind == StreamKind.ATTACH)) {
      Buffer status = Buffer.buffer().appendByte((byte) ChannelCodec.ERROR).appendBuffer(
          new StatusErrors.StatusError(503, "ServiceUnavailable", message).toBuffer());
      client.writeBinaryMessage(status);
    }
    if (!client.isClosed()) {
      client.close((short) 1011, closeReason);
    }
    if (!upstream.isClosed()) {
      upstream.close((short) 1011, closeReason);
    }
  }

  /** A message over the size limit cannot be relayed: close that side with 1009 (the other follows). */
  private static void tooBig(WebSocketBase ws, Throwable err) {
    if (err instanceof IllegalStateException && !ws.isClosed()) {
      ws.close((short) 1009, "message too big for the Vigil gateway");
    }
  }

  private void toUpstream(Buffer message, boolean binary) {
    record(Direction.TO_UPSTREAM, message, binary);
    write(upstream, message, binary);
    if (upstream.writeQueueFull()) {
      client.pause();
    }
  }

  private void toClient(Buffer message, boolean binary) {
    if (client == null) {
      early.add(new Object[] {message, binary});
      upstream.pause();
      return;
    }
    record(Direction.TO_CLIENT, message, binary);
    if (output != null) {
      output.toClient(message, binary);
    } else {
      deliver(message, binary);
    }
  }

  private void deliver(Buffer message, boolean binary) {
    bytesToClient += message.length();
    write(client, message, binary);
    if (client.writeQueueFull()) {
      upstream.pause();
    }
  }

  private static void write(WebSocketBase ws, Buffer message, boolean binary) {
    if (!ws.isClosed()) {
      if (binary) {
        ws.writeBinaryMessage(message);
      } else {
        ws.writeTextMessage(message.toString());
      }
    }
  }

  private void record(Direction direction, Buffer message, boolean binary) {
    codec.record(ex.frames, direction, message, binary);
  }

  /** One side sent a close frame: close the other with the same code, after what was already relayed. */
  private void closeOther(WebSocketBase from, WebSocketBase to, ResponseOutcome outcome) {
    if (to == client && output != null) {
      output.end(); // what the output channels still hold goes before the close
    }
    if (firstClosed == null) {
      firstClosed = outcome;
      closeCode = from.closeStatusCode();
    }
    if (!to.isClosed()) {
      Short code = from.closeStatusCode();
      if (code == null || code == 1005 || code == 1006 || code == 1015) {
        to.close();
      } else {
        to.close(code, from.closeReason());
      }
    }
  }

  /**
   * One side's connection is gone; once both are, the call is recorded. A side gone after a close frame is closed on
   * the other side by its end handler (after the messages still queued); one gone without is closed here.
   */
  private void onClosed(WebSocketBase side, WebSocketBase other, ResponseOutcome outcome) {
    if (client == null) { // the upstream went away before the caller's side was accepted
      closed++;
      if (!closedByFrame(side)) {
        upstreamLost = true;
      }
      return;
    }
    boolean graceful = closedByFrame(side);
    if (firstClosed == null) {
      firstClosed = outcome;
      closeCode = side.closeStatusCode();
      upstreamLost = side == upstream && !graceful;
      if (!graceful && other == client && output != null) {
        output.end();
      }
      if (!graceful && !other.isClosed()) {
        other.close(side == upstream ? (short) 1011 : (short) 1001,
            side == upstream ? "upstream connection lost" : "caller went away");
      }
    }
    if (++closed < 2) {
      return;
    }
    Map<String, String> headers = new TreeMap<>(HeaderPolicy.forRecording(upstream.headers()));
    if (closeCode != null) {
      headers.put(CLOSE_CODE, closeCode.toString());
    }
    if (ex.strictEnded) {
      headers.put(STRICT_ENDED, StrictRecording.STREAM_ENDED_MESSAGE);
    }
    if (maskEnded != null) {
      headers.put(MaskedStream.ENDED, maskEnded);
    }
    if (upstreamLost) {
      headers.put(ResponseRecorder.UPSTREAM_ERROR, "RESET: the upstream WebSocket connection closed without a close frame");
    }
    recorder.completed(ex, 101, headers, null, bytesToClient, upstreamLost ? ResponseOutcome.UPSTREAM_RESET : firstClosed);
  }

  /** True when {@code ws} received a close frame; a lost connection reports 1006 (or nothing). */
  private static boolean closedByFrame(WebSocketBase ws) {
    Short code = ws.closeStatusCode();
    return code != null && code != 1006;
  }
}

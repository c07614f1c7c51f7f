package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.exec.ShellIo;
import dev.vigil.kubesim.exec.StdinPipe;
import dev.vigil.kubesim.store.Json;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The remote command channel protocol ({@code v4.channel.k8s.io}, {@code v5.channel.k8s.io}) on
 * one WebSocket: every binary message starts with a channel byte — 0 stdin, 1 stdout, 2 stderr,
 * 3 error (a {@code Status} at the end), 4 resize; v5 adds 255, the close signal
 * ({@code [255, 0]} closes stdin). Output is written in call order on the WebSocket's context.
 */
final class ChannelWebSocket implements ShellIo {

  static final byte STDIN = 0;
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte ERROR = 3;
  static final byte RESIZE = 4;
  static final byte CLOSE = (byte) 255;
  private static final int STDIN_HIGH_WATER = 1024 * 1024;

  /** The streams the client asked for. */
  record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

  private final Context context;
  private final ServerWebSocket ws;
  private final boolean v5;
  private final Streams streams;
  private final StdinPipe stdin;
  private final AtomicBoolean finished = new AtomicBoolean();

  ChannelWebSocket(Context context, ServerWebSocket ws, String protocol, Streams streams) {
    this.context = context;
    this.ws = ws;
    this.v5 = Upgrades.V5.equals(protocol);
    this.streams = streams;
    this.stdin = streams.stdin() ? new StdinPipe(STDIN_HIGH_WATER, () -> context.runOnContext(v -> ws.resume()))
        : StdinPipe.closed();
  }

  /** Installs the handlers; {@code onClientGone} runs (on the context) when the socket closes. */
  void start(Runnable onClientGone) {
    ws.binaryMessageHandler(this::onMessage);
    ws.textMessageHandler(text -> { }); // base64 protocols are not offered; ignore text frames
    ws.exceptionHandler(e -> ws.close());
    ws.closeHandler(v -> {
      stdin.close();
      finished.set(true);
      onClientGone.run();
    });
  }

  private void onMessage(Buffer message) {
    if (message.length() == 0) {
      return;
    }
    byte channel = message.getByte(0);
    if (channel == STDIN && streams.stdin()) {
      if (stdin.offer(message.getBytes(1, message.length()))) {
        ws.pause();
      }
    } else if (channel == RESIZE) {
      return; // terminal sizes are accepted; the pretend shell does not lay out output
    } else if (channel == CLOSE && v5 && message.length() == 2 && message.getByte(1) == STDIN) {
      stdin.close();
    }
  }

  @Override
  public InputStream stdin() {
    return stdin;
  }

  @Override
  public void out(byte[] data) {
    if (streams.stdout()) {
      send(STDOUT, streams.tty() ? crlf(data) : data);
    }
  }

  @Override
  public void err(byte[] data) {
    if (streams.tty()) {
      out(data);
    } else if (streams.stderr()) {
      send(STDERR, data);
    }
  }

  @Override
  public boolean tty() {
    return streams.tty();
  }

  /** Sends the final {@code Status} on the error channel (as kubelet does) and closes normally. */
  void finish(int exitCode, List<String> command) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    byte[] status = Json.write(status(exitCode, command)).getBytes(StandardCharsets.UTF_8);
    context.runOnContext(v -> {
      Buffer b = Buffer.buffer(status.length + 1).appendByte(ERROR).appendBytes(status);
      ws.writeBinaryMessage(b).onComplete(ar -> ws.close((short) 1000));
    });
  }

  static ObjectNode status(int exitCode, List<String> command) {
    ObjectNode s = Json.object();
    s.putObject("metadata");
    if (exitCode == 0) {
      s.put("status", "Success");
      return s;
    }
    s.put("status", "Failure");
    s.put("message", "command terminated with non-zero exit code: error executing command "
        + command + ", exit code " + exitCode);
    s.put("reason", "NonZeroExitCode");
    s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
        .put("message", String.valueOf(exitCode));
    return s;
  }

  private void send(byte channel, byte[] data) {
    if (finished.get() || data.length == 0) {
      return;
    }
    Buffer b = Buffer.buffer(data.length + 1).appendByte(channel).appendBytes(data);
    context.runOnContext(v -> {
      if (!ws.isClosed()) {
        ws.writeBinaryMessage(b);
      }
    });
  }

  private static byte[] crlf(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(data[i]);
    }
    return out.toByteArray();
  }
}

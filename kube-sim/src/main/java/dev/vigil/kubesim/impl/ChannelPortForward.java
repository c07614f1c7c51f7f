package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.kubesim.exec.PretendPort;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The plain WebSocket port-forward protocol ({@code v4.channel.k8s.io} / {@code portforward.k8s.io},
 * {@code ?ports=8080,9090}) that non-kubectl clients use: port i has data channel {@code 2i} and
 * error channel {@code 2i+1}; the server's first message on each channel is the port as two
 * bytes, little endian. One connection per port; the socket closes when every port is done.
 */
final class ChannelPortForward {

  private final ServerWebSocket ws;
  private final List<Integer> ports;
  private final PretendPort[] servers;
  private final boolean[] done;

  ChannelPortForward(ServerWebSocket ws, JsonNode pod, String podName, List<Integer> ports) {
    this.ws = ws;
    this.ports = List.copyOf(ports);
    this.servers = new PretendPort[ports.size()];
    this.done = new boolean[ports.size()];
    for (int i = 0; i < ports.size(); i++) {
      servers[i] = PretendPort.listening(pod, ports.get(i)) ? new PretendPort(podName, ports.get(i)) : null;
    }
  }

  void start(Runnable onClose) {
    ws.binaryMessageHandler(this::onMessage);
    ws.exceptionHandler(e -> ws.close());
    ws.closeHandler(v -> onClose.run());
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      byte[] prefix = {(byte) (port & 0xff), (byte) ((port >> 8) & 0xff)};
      send(2 * i, prefix);
      send(2 * i + 1, prefix);
      if (servers[i] == null) {
        send(2 * i + 1, ("error forwarding port " + port + ": dial tcp4 127.0.0.1:" + port
            + ": connect: connection refused (no container of the pod declares it)").getBytes(StandardCharsets.UTF_8));
        done(i);
      }
    }
  }

  private void onMessage(Buffer message) {
    if (message.length() == 0) {
      return;
    }
    int channel = message.getByte(0) & 0xff;
    int i = channel / 2;
    if (channel % 2 != 0 || i >= servers.length || servers[i] == null || done[i]) {
      return;
    }
    byte[] reply = servers[i].onData(message.getBytes(1, message.length()));
    if (reply.length > 0) {
      send(channel, reply);
    }
    if (servers[i].closed()) {
      done(i);
    }
  }

  private void done(int i) {
    done[i] = true;
    for (boolean d : done) {
      if (!d) {
        return;
      }
    }
    ws.close((short) 1000);
  }

  private void send(int channel, byte[] data) {
    if (!ws.isClosed()) {
      ws.writeBinaryMessage(Buffer.buffer(data.length + 1).appendByte((byte) channel).appendBytes(data));
    }
  }
}

package dev.vigil.kubesim.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What listens on a forwarded port of a pretend pod: HTTP requests get one
 * {@code HTTP/1.1 200 "hello from <pod>"} reply and the connection closes; any other bytes are
 * echoed back until the client closes (at most {@link ExecLimits#MAX_CAT_STDIN_BYTES}, then the
 * pretend server hangs up). In-process: no socket is opened towards anything.
 */
public final class PretendPort {

  private static final List<String> METHODS =
      List.of("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ");
  private static final int MAX_HEADER = 64 * 1024;

  private final String pod;
  private final int port;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean echo;
  private long echoed;
  private boolean closed;

  public PretendPort(String pod, int port) {
    this.pod = pod;
    this.port = port;
  }

  /** Whether a container of the pod declares {@code port} (only those "listen"). */
  public static boolean listening(JsonNode pod, int port) {
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : pod.path("spec").path(list)) {
        for (JsonNode p : c.path("ports")) {
          if (p.path("containerPort").asInt() == port) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Bytes from the client; returns the bytes to send back (possibly empty). */
  public byte[] onData(byte[] data) {
    if (closed) {
      return new byte[0];
    }
    if (echo) {
      echoed += data.length;
      if (echoed > ExecLimits.MAX_CAT_STDIN_BYTES) {
        closed = true; // bounded like cat: the pretend server hangs up
        return new byte[0];
      }
      return data.clone();
    }
    pending.write(data, 0, data.length);
    String head = pending.toString(StandardCharsets.ISO_8859_1);
    if (METHODS.stream().noneMatch(m -> head.startsWith(m) || m.startsWith(head))) {
      echo = true;
      byte[] all = pending.toByteArray();
      pending.reset();
      return all;
    }
    int end = head.indexOf("\r\n\r\n");
    if (end < 0 && pending.size() < MAX_HEADER) {
      return new byte[0];
    }
    closed = true;
    String requestLine = head.lines().findFirst().orElse("");
    return reply(requestLine, requestLine.startsWith("HEAD "));
  }

  /** Whether the pretend server has closed its side (after an HTTP reply). */
  public boolean closed() {
    return closed;
  }

  private byte[] reply(String requestLine, boolean head) {
    String body = "hello from " + pod + " (port " + port + ", a pretend server inside kube-sim)\n"
        + "you sent: " + requestLine + "\n";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String headers = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + b.length
        + "\r\nConnection: close\r\nServer: kube-sim-pretend\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}

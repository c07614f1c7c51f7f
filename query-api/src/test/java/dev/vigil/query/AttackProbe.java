package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * Sends attack requests byte for byte (a raw socket: no client normalises the path, rejects a bad %-escape or adds a
 * header) and checks what a refusal must be: the expected status, the API's one JSON error shape with
 * {@code nosniff}, none of the victim's data in any byte of the body, and an audit line for it without the token.
 */
final class AttackProbe {

  /** An answer as received: status, headers (lower-case names), body text. */
  record Answer(String target, int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static final Map<Integer, String> CODES = Map.of(400, "bad_request", 401, "unauthorized", 403, "forbidden",
      404, "not_found", 405, "method_not_allowed", 414, "uri_too_long", 431, "headers_too_large");

  private final int port;
  private final List<String> markers;

  /** {@code markers}: strings only the victim's records hold (ids, recorded text) — never in an attacker's answer. */
  AttackProbe(int port, List<String> markers) {
    this.port = port;
    this.markers = List.copyOf(markers);
  }

  Answer send(String method, String target, String token) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return send(method, target, headers);
  }

  Answer send(String method, String target, Map<String, String> headers) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return parse(target, socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("sending " + method + " " + target, e);
    }
  }

  /** Sends and asserts a refusal with one of {@code statuses} in the error shape, holding none of the markers. */
  Answer refused(String method, String target, String token, int... statuses) {
    Answer a = send(method, target, token);
    assertThat(statuses).as("%s %s → %s %s", method, target, a.status(), a.body()).contains(a.status());
    assertErrorShape(a);
    assertNoMarkers(a);
    return a;
  }

  static void assertErrorShape(Answer a) {
    assertThat(a.header("Content-Type")).as(a.target()).startsWith("application/json");
    assertThat(a.header("X-Content-Type-Options")).as(a.target()).isEqualTo("nosniff");
    JsonObject body = a.json();
    assertThat(body.fieldNames()).as(a.body()).containsExactly("error");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.getString("code")).as(a.body()).isEqualTo(CODES.get(a.status()));
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("requestId")).isEqualTo(a.header("X-Request-Id"));
    if (a.status() == 401) {
      assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
  }

  /** No marker appears in the body (except what the attacker put in the request itself, echoed in a message). */
  void assertNoMarkers(Answer a) {
    String asked = a.target() + "\n" + decoded(a.target());
    for (String m : markers) {
      if (!asked.contains(m)) {
        assertThat(a.body()).as("%s leaks the victim's %s", a.target(), m).doesNotContain(m);
      }
    }
  }

  private static String decoded(String target) {
    try {
      return java.net.URLDecoder.decode(target.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return target;
    }
  }

  /** The audit line of {@code a} (by request id): a refusal with its status, by {@code username} (null: none). */
  static JsonObject audited(AuditCapture audit, Answer a, String username, String token) {
    String requestId = a.header("X-Request-Id");
    List<JsonObject> lines = audit.lines().stream().filter(l -> requestId.equals(l.getString("requestId"))).toList();
    assertThat(lines).as("audit lines of %s (%s)", a.target(), requestId).hasSize(1);
    JsonObject line = lines.get(0);
    assertThat(line.getInteger("status")).as(line.encode()).isEqualTo(a.status());
    assertThat(line.getString("reason")).as(line.encode()).isNotBlank();
    assertThat(line.getString("endpoint")).as(line.encode()).isNotBlank();
    if (username == null) {
      assertThat(line.getValue("caller")).as(line.encode()).isNull();
    } else {
      assertThat(line.getJsonObject("caller").getString("username")).as(line.encode()).isEqualTo(username);
    }
    if (token != null) {
      String signature = token.substring(token.lastIndexOf('.') + 1);
      assertThat(line.encode()).as("the audit line holds no token").doesNotContain(token);
      if (signature.length() > 8) {
        assertThat(line.encode()).as("the audit line holds no token signature").doesNotContain(signature);
      }
    }
    return line;
  }

  private static Answer parse(String target, byte[] bytes) {
    String all = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    assertThat(end).as("a complete HTTP answer to %s: %s", target, all).isPositive();
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(target, status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < in.length) {
      int lineEnd = i;
      while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String size = new String(in, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].strip();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(in, lineEnd + 2, n);
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }
}

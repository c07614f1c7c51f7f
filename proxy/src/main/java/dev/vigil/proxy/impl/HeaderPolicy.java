package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * What crosses the gateway in headers.
 *
 * <p>Towards the upstream, {@link #stripCallerHeaders} removes everything a caller could use to claim an identity or
 * steer the path: {@code Authorization}, every {@code Impersonate-*}, {@code Proxy-*}, hop-by-hop headers (and those
 * the caller's {@code Connection} names; {@code Connection}/{@code Upgrade} kept for WebSockets),
 * {@code Forwarded}/{@code X-Forwarded-*}/{@code X-Real-Ip}, {@code X-Remote-*} (kube's front-proxy identity
 * headers), the gateway's own {@code X-Vigil-Session}, and a WebSocket bearer subprotocol. Then
 * {@link #applyGatewayHeaders} asserts what the gateway vouches for: its own credential, {@code X-Forwarded-For} with
 * the caller's address, and — with impersonation on — {@code Impersonate-User}, one {@code Impersonate-Group} per
 * group and {@code Impersonate-Extra-vigil-session} with the session key.
 *
 * <p>Into the recording: credentials ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 * {@code Set-Cookie}, {@code x-api-key} (the LLM channel's), {@code Impersonate-*}, a WebSocket bearer subprotocol)
 * never appear.
 */
final class HeaderPolicy {

  /** The extra (Kubernetes {@code user.extra}) key carrying the session key upstream. */
  static final String SESSION_EXTRA_KEY = "vigil-session";

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection");
  private static final Set<String> FORWARDING = Set.of("forwarded", "x-real-ip");
  private static final Set<String> RECORDING_EXCLUDED = Set.of(
      "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

  private final Supplier<String> upstreamAuthorization;
  private final boolean impersonate;

  /**
   * @param upstreamAuthorization the complete Authorization value the gateway sends upstream right now, or null
   *                              (client certificate); asked on every call, since upstream tokens rotate
   * @param impersonate           whether calls are forwarded as the caller (Impersonate-*)
   */
  HeaderPolicy(Supplier<String> upstreamAuthorization, boolean impersonate) {
    this.upstreamAuthorization = upstreamAuthorization;
    this.impersonate = impersonate;
  }

  boolean impersonates() {
    return impersonate;
  }

  /** Turns the caller's request headers into the headers the upstream receives. */
  void prepareUpstream(MultiMap headers, boolean webSocket, Exchange ex) {
    prepareUpstream(headers, webSocket, ex.caller, ex.sessionKey, clientAddress(ex.request));
    if (ex.maskResponse && !webSocket) {
      askForMaskableResponse(headers);
    }
  }

  /**
   * maskResponse: the response must be one the gateway can mask. Protobuf media ranges are taken out of
   * {@code Accept} — one asking for a shape ({@code ;as=Table;v=v1;g=meta.k8s.io}) becomes the same shape in JSON —
   * so the API server answers JSON, which every Kubernetes client reads ({@code application/json} when nothing else
   * is left), and the body is asked for uncompressed ({@code Accept-Encoding: identity}).
   */
  static void askForMaskableResponse(MultiMap headers) {
    List<String> accept = headers.getAll("accept");
    if (!accept.isEmpty()) {
      headers.set("Accept", withoutProtobuf(String.join(",", accept)));
    }
    headers.set("Accept-Encoding", "identity");
  }

  /** An Accept value without its protobuf media ranges; {@code application/json} if nothing else is left. */
  static String withoutProtobuf(String accept) {
    List<String> kept = new ArrayList<>();
    for (String range : accept.split(",")) {
      String r = range.strip();
      int semi = r.indexOf(';');
      String type = (semi < 0 ? r : r.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
      if (type.equals("application/vnd.kubernetes.protobuf")) {
        // a shape (as=Table, as=PartialObjectMetadata...) is asked for in JSON instead; a plain or stream range goes
        r = semi >= 0 && r.toLowerCase(Locale.ROOT).contains("as=") ? "application/json" + r.substring(semi) : "";
      }
      if (!r.isEmpty() && !kept.contains(r)) {
        kept.add(r);
      }
    }
    return kept.isEmpty() ? "application/json" : String.join(",", kept);
  }

  void prepareUpstream(MultiMap headers, boolean webSocket, CallerIdentity caller, String sessionKey,
      String clientAddress) {
    stripCallerHeaders(headers, webSocket);
    applyGatewayHeaders(headers, caller, sessionKey, clientAddress);
  }

  static void stripCallerHeaders(MultiMap headers, boolean webSocket) {
    List<String> remove = new ArrayList<>();
    for (String connectionValue : headers.getAll("connection")) {
      for (String token : connectionValue.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !(webSocket && t.equals("upgrade"))) {
          remove.add(t);
        }
      }
    }
    for (String name : headers.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("authorization") || n.startsWith("impersonate-") || n.startsWith("proxy-")
          || n.startsWith("x-forwarded-") || n.startsWith("x-remote-") || FORWARDING.contains(n)
          || n.equals(SessionKeys.HEADER.toLowerCase(Locale.ROOT))
          || (HOP_BY_HOP.contains(n) && !(webSocket && (n.equals("upgrade") || n.equals("connection"))))) {
        remove.add(n);
      }
    }
    remove.forEach(headers::remove);
    WebSocketBearer.strip(headers);
  }

  /**
   * Removes the upstream response's hop-by-hop headers (and those its {@code Connection} names) before the response
   * is relayed: they describe the gateway's HTTP/1.1 connection to the upstream, not the caller's, and HTTP/2 forbids
   * them (a strict client such as curl/nghttp2 resets the stream). Not for 101 upgrades.
   */
  static void stripResponseHopByHop(MultiMap headers) {
    List<String> remove = new ArrayList<>(List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "upgrade", "te", "trailer"));
    for (String connectionValue : headers.getAll("connection")) {
      for (String token : connectionValue.split(",")) {
        if (!token.isBlank()) {
          remove.add(token.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    remove.forEach(headers::remove);
  }

  /** Adds what the gateway asserts upstream: its credential, the caller's address and (if enabled) identity. */
  void applyGatewayHeaders(MultiMap headers, CallerIdentity caller, String sessionKey, String clientAddress) {
    String authorization = upstreamAuthorization.get();
    if (authorization != null) {
      headers.set("Authorization", authorization);
    }
    if (clientAddress != null) {
      headers.set("X-Forwarded-For", clientAddress);
    }
    if (impersonate && caller != CallerIdentity.ANONYMOUS) {
      headers.set("Impersonate-User", headerValue(caller.username()));
      for (String group : caller.groups()) {
        headers.add("Impersonate-Group", headerValue(group));
      }
      if (sessionKey != null) {
        headers.set(extraHeader(SESSION_EXTRA_KEY), headerValue(sessionKey));
      }
    }
  }

  /** {@code Impersonate-Extra-<key>} with the key escaped as client-go does (non-token bytes and '%' as %XX). */
  static String extraHeader(String key) {
    StringBuilder sb = new StringBuilder("Impersonate-Extra-");
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isTokenChar(c) && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /**
   * A header value carrying {@code s} as UTF-8 bytes: each byte becomes one char (ISO-8859-1), which the HTTP codec
   * writes back as that byte — what kube-apiserver (Go) reads as the UTF-8 string. ASCII is unchanged.
   */
  static String headerValue(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Headers as recorded in events: lower-case names, repeated values joined with ", ", credentials removed. */
  static Map<String, String> forRecording(MultiMap headers) {
    MultiMap sanitized = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    WebSocketBearer.strip(sanitized);
    Map<String, String> out = new TreeMap<>();
    for (String name : sanitized.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (RECORDING_EXCLUDED.contains(n) || n.startsWith("impersonate-")) {
        continue;
      }
      out.put(n, String.join(", ", sanitized.getAll(name)));
    }
    return out;
  }

  /** The caller's IP address (no port), as the upstream sees it in {@code X-Forwarded-For}. */
  static String clientAddress(HttpServerRequest request) {
    return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }
}

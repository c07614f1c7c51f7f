package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.MultiMap;

/**
 * What crosses the gateway in headers.
 *
 * <p>Towards the upstream: the caller's credential ({@code Authorization}), every {@code Impersonate-*} header,
 * hop-by-hop headers (and those named by {@code Connection}), and the gateway's own {@code X-Vigil-Session} are
 * removed; then {@link #applyGatewayHeaders} adds the gateway's own credential. That method is the one place where
 * the caller's identity will be asserted upstream (Impersonate-User/Group) once impersonation lands.
 *
 * <p>Into the recording: credentials ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 * {@code Set-Cookie}, {@code Impersonate-*}) never appear.
 */
final class HeaderPolicy {

  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-connection");
  private static final Set<String> RECORDING_EXCLUDED = Set.of(
      "authorization", "proxy-authorization", "cookie", "set-cookie");

  private final String upstreamAuthorization;

  /** @param upstreamAuthorization the complete Authorization value the gateway sends upstream, or null (client cert) */
  HeaderPolicy(String upstreamAuthorization) {
    this.upstreamAuthorization = upstreamAuthorization;
  }

  /** Turns the caller's request headers into the headers the upstream receives. */
  void prepareUpstream(MultiMap headers, boolean webSocket, CallerIdentity caller) {
    stripCallerHeaders(headers, webSocket);
    applyGatewayHeaders(headers, caller);
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
          || n.equals(SessionKeys.HEADER.toLowerCase(Locale.ROOT))
          || (HOP_BY_HOP.contains(n) && !(webSocket && (n.equals("upgrade") || n.equals("connection"))))) {
        remove.add(n);
      }
    }
    remove.forEach(headers::remove);
  }

  /** Adds what the gateway asserts upstream: today its own credential; later, Impersonate-User/Group for {@code caller}. */
  void applyGatewayHeaders(MultiMap headers, CallerIdentity caller) {
    if (upstreamAuthorization != null) {
      headers.set("Authorization", upstreamAuthorization);
    }
  }

  /** Headers as recorded in events: lower-case names, repeated values joined with ", ", credentials removed. */
  static Map<String, String> forRecording(MultiMap headers) {
    Map<String, String> out = new TreeMap<>();
    for (String name : headers.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (RECORDING_EXCLUDED.contains(n) || n.startsWith("impersonate-")) {
        continue;
      }
      out.put(n, String.join(", ", headers.getAll(name)));
    }
    return out;
  }
}

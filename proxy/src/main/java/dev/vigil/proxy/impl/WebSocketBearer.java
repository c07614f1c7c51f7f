package dev.vigil.proxy.impl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.vertx.core.MultiMap;

/**
 * The bearer token a browser-style WebSocket client puts in {@code Sec-WebSocket-Protocol} as
 * {@code base64url.bearer.authorization.k8s.io.<base64url(token), no padding>}, next to the real subprotocol (e.g.
 * {@code v5.channel.k8s.io}), because it cannot set an Authorization header. Handled as kube-apiserver does: only on
 * WebSocket upgrades, at most one such entry, and at least one other subprotocol must remain.
 *
 * <p>{@link #strip} removes the entry wherever headers leave the gateway (upstream, recording) whether or not it was
 * used as the credential: it is a credential either way.
 */
final class WebSocketBearer {

  static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
  static final String PREFIX = "base64url.bearer.authorization.k8s.io.";

  private WebSocketBearer() {}

  static boolean isWebSocketUpgrade(MultiMap headers) {
    boolean upgrade = false;
    for (String v : headers.getAll("Connection")) {
      for (String t : v.split(",")) {
        upgrade |= t.strip().equalsIgnoreCase("upgrade");
      }
    }
    return upgrade && "websocket".equalsIgnoreCase(String.valueOf(headers.get("Upgrade")).strip());
  }

  /** The token carried as a subprotocol, or null when there is none. */
  static String token(MultiMap headers) throws AuthenticationException {
    String token = null;
    int others = 0;
    for (String protocol : protocols(headers)) {
      if (!isBearer(protocol)) {
        others++;
        continue;
      }
      if (token != null) {
        throw new AuthenticationException("multiple " + PREFIX + "* subprotocols");
      }
      token = decode(protocol.substring(PREFIX.length()));
    }
    if (token != null && others == 0) {
      throw new AuthenticationException("a WebSocket bearer token needs another subprotocol next to it");
    }
    return token;
  }

  /** Removes every bearer entry from {@code Sec-WebSocket-Protocol} (the header goes if nothing else is left). */
  static void strip(MultiMap headers) {
    if (!headers.contains(PROTOCOL_HEADER)) {
      return;
    }
    List<String> kept = new ArrayList<>();
    boolean found = false;
    for (String protocol : protocols(headers)) {
      if (isBearer(protocol)) {
        found = true;
      } else {
        kept.add(protocol);
      }
    }
    if (!found) {
      return;
    }
    headers.remove(PROTOCOL_HEADER);
    if (!kept.isEmpty()) {
      headers.set(PROTOCOL_HEADER, String.join(", ", kept));
    }
  }

  private static List<String> protocols(MultiMap headers) {
    List<String> out = new ArrayList<>();
    for (String value : headers.getAll(PROTOCOL_HEADER)) {
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          out.add(p.strip());
        }
      }
    }
    return out;
  }

  private static boolean isBearer(String protocol) {
    return protocol.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  private static String decode(String encoded) throws AuthenticationException {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException("invalid " + PREFIX + "* token encoding");
    }
    try {
      String token = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      if (token.isBlank()) {
        throw new AuthenticationException("empty " + PREFIX + "* token");
      }
      return token;
    } catch (CharacterCodingException e) {
      throw new AuthenticationException("invalid " + PREFIX + "* token");
    }
  }
}

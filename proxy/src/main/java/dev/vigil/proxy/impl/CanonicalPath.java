package dev.vigil.proxy.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonicalises a raw (still percent-encoded) request path so that policy, recording and the upstream all see the
 * same path. Percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2) and other escapes upper-cased;
 * repeated slashes collapse; a trailing slash is kept (kube-apiserver ignores it).
 *
 * <p>Refused (400): a path not starting with {@code /}, malformed percent-encoding, an encoded {@code /}, {@code \}
 * or NUL inside a segment, and any {@code .} or {@code ..} segment, literal or encoded. kube-apiserver never resolves
 * dot segments — its RequestInfo would take {@code ..} for a resource or a name and the call could not succeed — so
 * the gateway refuses them rather than resolving them into a path the caller did not write. Everything else stays as
 * sent here; {@code ;} (no matrix parameters in the Kubernetes API) is refused by {@link RequestInfoParser} wherever it
 * would name a group, version, resource, namespace or object.
 */
final class CanonicalPath {

  private CanonicalPath() {}

  /** The canonical, still-encoded form of {@code rawPath}, always starting with {@code /}. */
  static String canonicalize(String rawPath) throws InvalidRequestException {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    if (rawPath.charAt(0) != '/') {
      throw new InvalidRequestException("request path must start with '/'");
    }
    String[] raw = rawPath.split("/", -1);
    StringBuilder sb = new StringBuilder(rawPath.length());
    boolean trailingSlash = false;
    for (int i = 1; i < raw.length; i++) {
      String segment = normalizeSegment(raw[i]);
      if (segment.isEmpty()) {
        trailingSlash = i == raw.length - 1;
        continue;
      }
      if (".".equals(segment) || "..".equals(segment)) {
        throw new InvalidRequestException("request path contains a '" + segment
            + "' segment; the Kubernetes API does not resolve dot segments");
      }
      sb.append('/').append(segment);
      trailingSlash = false;
    }
    if (sb.length() == 0) {
      return "/";
    }
    if (trailingSlash) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** The percent-decoded segments of a canonical path, without empty ones (kube-apiserver's {@code splitPath}). */
  static List<String> decodedSegments(String canonicalPath) throws InvalidRequestException {
    List<String> out = new ArrayList<>();
    for (String s : canonicalPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(decode(s));
      }
    }
    return out;
  }

  private static String normalizeSegment(String segment) throws InvalidRequestException {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    StringBuilder sb = new StringBuilder(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      int value = hexByte(segment, i);
      if (value == '/' || value == '\\') {
        throw new InvalidRequestException("request path contains an encoded '" + (char) value + "' inside a segment");
      }
      if (value == 0) {
        throw new InvalidRequestException("request path contains an encoded NUL");
      }
      if (isUnreserved(value)) {
        sb.append((char) value);
      } else {
        sb.append('%').append(Character.toUpperCase(segment.charAt(i + 1))).append(Character.toUpperCase(segment.charAt(i + 2)));
      }
      i += 2;
    }
    return sb.toString();
  }

  private static String decode(String segment) throws InvalidRequestException {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        bytes.write(hexByte(segment, i));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("request path is not valid UTF-8 once decoded");
    }
  }

  private static int hexByte(String s, int percentIndex) throws InvalidRequestException {
    if (percentIndex + 2 >= s.length()) {
      throw new InvalidRequestException("request path has a truncated percent-encoding");
    }
    int hi = Character.digit(s.charAt(percentIndex + 1), 16);
    int lo = Character.digit(s.charAt(percentIndex + 2), 16);
    if (hi < 0 || lo < 0) {
      throw new InvalidRequestException("request path has a malformed percent-encoding");
    }
    return hi * 16 + lo;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}

package dev.vigil.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host name or literal address is loopback — {@code localhost}, {@code 127.0.0.0/8}, {@code ::1} — decided
 * without any DNS lookup (only literals are parsed; any other name is not loopback). Used for the "https unless
 * loopback" rules on OIDC issuers and listeners, and for loopback-only endpoints.
 */
public final class LoopbackHosts {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private LoopbackHosts() {}

  public static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("localhost.")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false; // a DNS name: never trusted to be loopback
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not resolved
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

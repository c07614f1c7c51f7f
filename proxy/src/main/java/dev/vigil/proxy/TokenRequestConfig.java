package dev.vigil.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * Short-lived upstream tokens for one service account ({@code vigil.proxy.upstream.token-request.*}), obtained with the
 * base credential through the TokenRequest API ({@code POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token})
 * and renewed at 80% of their lifetime.
 *
 * @param audiences  {@code spec.audiences}; empty for the API server's default audience
 * @param expiration {@code spec.expirationSeconds} (10m–48h; the API server may shorten it)
 */
public record TokenRequestConfig(String namespace, String serviceAccount, List<String> audiences, Duration expiration) {

  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public TokenRequestConfig {
    audiences = List.copyOf(audiences);
  }

  /** The configured token request, or null when {@code token-request.service-account} is not set. */
  static TokenRequestConfig parse(Settings s) {
    String key = ProxyConfig.UPSTREAM_TOKEN_REQUEST_SERVICE_ACCOUNT;
    if (!s.has(key)) {
      return null;
    }
    String[] parts = s.get(key, "").strip().split("/", -1);
    if (parts.length != 2 || !DNS_NAME.matcher(parts[0]).matches() || !DNS_NAME.matcher(parts[1]).matches()) {
      throw new ConfigException("Setting " + key + " must be <namespace>/<service account name>");
    }
    List<String> audiences = new ArrayList<>();
    for (String a : s.get(ProxyConfig.UPSTREAM_TOKEN_REQUEST_AUDIENCES, "").split(",")) {
      if (!a.isBlank()) {
        audiences.add(a.strip());
      }
    }
    Duration expiration = s.getDuration(ProxyConfig.UPSTREAM_TOKEN_REQUEST_EXPIRATION, Duration.ofHours(1));
    if (expiration.compareTo(Duration.ofMinutes(10)) < 0 || expiration.compareTo(Duration.ofDays(2)) > 0) {
      throw new ConfigException("Setting " + ProxyConfig.UPSTREAM_TOKEN_REQUEST_EXPIRATION
          + " must be between 10m (the API server's minimum) and 48h");
    }
    return new TokenRequestConfig(parts[0], parts[1], audiences, expiration);
  }
}

package dev.vigil.proxy;

import java.time.Duration;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

/**
 * The bounds of the per-session sets of Secret fingerprints behind the guardrail {@code no-secret-in-llm-prompt}
 * ({@code vigil.proxy.llm.secret-fingerprints.*}).
 *
 * @param ttl how long a fingerprint is kept after the session last read the value
 * @param maxPerSession fingerprints kept per session at most (the oldest read dropped first)
 * @param maxSessions sessions tracked at most (the least recently used dropped first)
 */
public record SecretFingerprintsConfig(Duration ttl, int maxPerSession, int maxSessions) {

  public static final SecretFingerprintsConfig DEFAULTS = new SecretFingerprintsConfig(Duration.ofHours(1), 1000, 10_000);

  static SecretFingerprintsConfig parse(Settings s) {
    Duration ttl = s.getDuration(ProxyConfig.LLM_SECRET_FINGERPRINTS_TTL, DEFAULTS.ttl());
    if (ttl.isZero() || ttl.isNegative()) {
      throw new ConfigException("Setting " + ProxyConfig.LLM_SECRET_FINGERPRINTS_TTL + " must be a positive duration");
    }
    return new SecretFingerprintsConfig(ttl,
        s.getInt(ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_PER_SESSION, DEFAULTS.maxPerSession(), 1, 1_000_000),
        s.getInt(ProxyConfig.LLM_SECRET_FINGERPRINTS_MAX_SESSIONS, DEFAULTS.maxSessions(), 1, 10_000_000));
  }
}

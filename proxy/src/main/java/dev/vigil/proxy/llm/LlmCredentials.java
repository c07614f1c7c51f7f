package dev.vigil.proxy.llm;

import io.vertx.core.MultiMap;

/**
 * The caller's credential on the LLM channel: its Vigil OIDC token, as the providers' SDKs send an API key —
 * {@code Authorization: Bearer <token>} (Claude Code's {@code ANTHROPIC_AUTH_TOKEN}, OpenAI SDKs) or
 * {@code x-api-key: <token>} (Claude Code's {@code ANTHROPIC_API_KEY}, the Anthropic SDKs). {@code Authorization} wins
 * when both are sent. Neither ever reaches a provider.
 */
final class LlmCredentials {

  /** The token, or null and why there is none (never containing the header's value). */
  record Credential(String token, String problem) {}

  private LlmCredentials() {}

  static Credential of(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization != null) {
      String a = authorization.strip();
      if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return new Credential(null, "the Authorization header is not a bearer token");
      }
      String token = a.substring(7).strip();
      return token.isEmpty() ? new Credential(null, "no bearer token") : new Credential(token, null);
    }
    String key = headers.get("x-api-key");
    if (key != null && !key.isBlank()) {
      return new Credential(key.strip(), null);
    }
    return new Credential(null, "no token");
  }
}

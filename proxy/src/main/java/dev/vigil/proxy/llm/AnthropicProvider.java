package dev.vigil.proxy.llm;

import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic: errors {@code {"type":"error","error":{"type":..,"message":..}}} with the API's types per status
 * (400 invalid_request_error, 401 authentication_error, 403 permission_error, 404 not_found_error, 413
 * request_too_large, 429 rate_limit_error, 503 overloaded_error, other 5xx api_error, other 4xx
 * invalid_request_error); the key goes in {@code x-api-key}; {@code anthropic-version} and {@code anthropic-beta} are
 * relayed.
 */
final class AnthropicProvider extends LlmProvider {

  AnthropicProvider() {
    super(LlmRoutes.ANTHROPIC, Set.of("anthropic-version", "anthropic-beta"));
  }

  static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  @Override
  Buffer error(int status, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type(status)).put("message", message))
        .toBuffer();
  }

  @Override
  void authorize(MultiMap upstreamHeaders, String key) {
    upstreamHeaders.set("x-api-key", key);
  }

  @Override
  ReplyAssembler assembler(long maxChars) {
    return new AnthropicAssembler(maxChars);
  }
}

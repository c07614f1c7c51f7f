package dev.vigil.proxy.llm;

import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI: errors {@code {"error":{"message":..,"type":..,"param":null,"code":..}}} (type invalid_request_error for
 * 4xx, with code {@code invalid_api_key} for 401 and {@code request_too_large} for 413; permission_error for 403;
 * server_error for 5xx); the key goes in {@code Authorization: Bearer}.
 */
final class OpenAiProvider extends LlmProvider {

  OpenAiProvider() {
    super(LlmRoutes.OPENAI, Set.of());
  }

  static String type(int status) {
    return status == 403 ? "permission_error" : status >= 500 ? "server_error" : "invalid_request_error";
  }

  static String code(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 413 -> "request_too_large";
      default -> null;
    };
  }

  @Override
  Buffer error(int status, String message) {
    return new JsonObject().put("error", new JsonObject()
            .put("message", message).put("type", type(status)).putNull("param").put("code", code(status)))
        .toBuffer();
  }

  @Override
  void authorize(MultiMap upstreamHeaders, String key) {
    upstreamHeaders.set("Authorization", "Bearer " + key);
  }

  @Override
  ReplyAssembler assembler(long maxChars) {
    return new OpenAiAssembler(maxChars);
  }
}

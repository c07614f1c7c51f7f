package dev.vigil.proxy.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** What the gateway reads of an LLM request's JSON: the model it names and whether it asks for a streamed reply. */
final class LlmRequests {

  private LlmRequests() {}

  /** The parsed JSON, or null when the text is not JSON. */
  static JsonNode json(String text) {
    try {
      return ReplyAssembler.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null; // the caller is told the body is not a JSON object
    }
  }

  /** The {@code model} string, or null when absent or not a string. */
  static String model(JsonNode request) {
    JsonNode model = request.get("model");
    return model != null && model.isTextual() ? model.asText() : null;
  }

  /** True only for {@code "stream": true} (both providers' flag for an SSE reply). */
  static boolean stream(JsonNode request) {
    JsonNode stream = request.get("stream");
    return stream != null && stream.isBoolean() && stream.booleanValue();
  }
}

package dev.vigil.proxy.llm;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Assembles an OpenAI Chat Completions stream ({@code data: <chat.completion.chunk>} ... {@code data: [DONE]}) into the
 * non-streaming {@code chat.completion}: {@code {id, object, created, model, choices:[{index, message:{role, content,
 * tool_calls}, finish_reason}], usage}}. Per choice, content and refusal deltas are joined; tool call deltas are
 * merged by their index (id, type and function name from the first, {@code arguments} strings joined, as the
 * non-streaming shape has them). A chunk {@code {"error": ...}} is the upstream's error. Malformed: data that is
 * neither {@code [DONE]} nor a JSON object.
 */
final class OpenAiAssembler extends ReplyAssembler {

  static final String DONE = "[DONE]";

  private final ObjectNode head = JSON.createObjectNode();
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private JsonNode usage;

  private static final class Choice {
    String role;
    StringBuilder content;
    StringBuilder refusal;
    JsonNode finishReason;
    final Map<Integer, ObjectNode> tools = new TreeMap<>();
    final Map<Integer, StringBuilder> arguments = new TreeMap<>();
  }

  OpenAiAssembler(long maxChars) {
    super(maxChars);
  }

  @Override
  void accept(SseParser.Event event) throws SseParser.MalformedException {
    if (event.data().strip().equals(DONE)) {
      finish();
      return;
    }
    ObjectNode d = object(event);
    if (d.has("error")) {
      streamError(d);
      return;
    }
    for (String f : new String[] {"id", "created", "model", "system_fingerprint", "service_tier"}) {
      if (!head.has(f) && d.hasNonNull(f)) {
        head.set(f, d.get(f).deepCopy());
      }
    }
    if (d.hasNonNull("usage")) {
      usage = d.get("usage").deepCopy();
    }
    for (JsonNode c : d.path("choices")) {
      Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
      JsonNode delta = c.path("delta");
      if (delta.hasNonNull("role")) {
        choice.role = delta.get("role").asText();
      }
      if (delta.hasNonNull("content")) {
        append(choice.content = choice.content == null ? new StringBuilder() : choice.content, delta.get("content").asText());
      }
      if (delta.hasNonNull("refusal")) {
        append(choice.refusal = choice.refusal == null ? new StringBuilder() : choice.refusal, delta.get("refusal").asText());
      }
      for (JsonNode t : delta.path("tool_calls")) {
        tool(choice, t);
      }
      if (c.hasNonNull("finish_reason")) {
        choice.finishReason = c.get("finish_reason").deepCopy();
      }
    }
  }

  private void tool(Choice choice, JsonNode t) {
    int index = t.path("index").asInt(choice.tools.size());
    ObjectNode call = choice.tools.computeIfAbsent(index, i -> JSON.createObjectNode());
    if (t.hasNonNull("id")) {
      call.put("id", t.get("id").asText());
    }
    if (t.hasNonNull("type")) {
      call.put("type", t.get("type").asText());
    }
    JsonNode fn = t.path("function");
    ObjectNode function = call.get("function") instanceof ObjectNode f ? f : call.putObject("function");
    if (fn.hasNonNull("name")) {
      function.put("name", fn.get("name").asText());
    }
    append(choice.arguments.computeIfAbsent(index, i -> new StringBuilder()), fn.path("arguments").asText(""));
  }

  @Override
  ObjectNode reply() {
    ObjectNode r = head.deepCopy();
    r.put("object", "chat.completion");
    ArrayNode list = r.putArray("choices");
    for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
      Choice c = e.getValue();
      ObjectNode message = JSON.createObjectNode().put("role", c.role == null ? "assistant" : c.role);
      if (c.content == null) {
        message.putNull("content");
      } else {
        message.put("content", c.content.toString());
      }
      if (c.refusal != null) {
        message.put("refusal", c.refusal.toString());
      }
      if (!c.tools.isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        c.tools.forEach((i, call) -> {
          ObjectNode copy = call.deepCopy();
          ((ObjectNode) copy.get("function")).put("arguments", c.arguments.get(i).toString());
          calls.add(copy);
        });
      }
      ObjectNode choice = list.addObject().put("index", e.getKey());
      choice.set("message", message);
      choice.set("finish_reason", c.finishReason == null ? JSON.nullNode() : c.finishReason);
    }
    if (usage != null) {
      r.set("usage", usage.deepCopy());
    }
    return r;
  }
}

package dev.vigil.proxy.llm;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Assembles an Anthropic Messages stream ({@code message_start}, {@code content_block_start}, {@code ping},
 * {@code content_block_delta}, {@code content_block_stop}, {@code message_delta}, {@code message_stop}, {@code error})
 * into the non-streaming Message: {@code {id, type, role, model, content, stop_reason, stop_sequence, usage}}. Content
 * blocks are kept by index: {@code text_delta} appends to a text block, {@code input_json_delta} chunks are joined and
 * parsed into the tool_use block's {@code input} (an empty input is {@code {}}; one that does not parse — cut by the
 * bound or by the end of the stream — is kept as the joined string), {@code thinking_delta}/{@code signature_delta}
 * fill thinking blocks, {@code citations_delta} adds citations. {@code message_delta} sets the stop reason and updates
 * the usage. Unknown event and delta types are ignored, as the API asks of clients. Malformed: an event whose data is
 * not a JSON object with a {@code type}.
 */
final class AnthropicAssembler extends ReplyAssembler {

  private ObjectNode message;
  private final Map<Integer, Block> blocks = new TreeMap<>();

  private static final class Block {
    final ObjectNode node;
    StringBuilder text;
    StringBuilder thinking;
    StringBuilder json;

    Block(ObjectNode node) {
      this.node = node;
    }
  }

  AnthropicAssembler(long maxChars) {
    super(maxChars);
  }

  @Override
  void accept(SseParser.Event event) throws SseParser.MalformedException {
    ObjectNode d = object(event);
    JsonNode type = d.get("type");
    if (type == null || !type.isTextual()) {
      throw new SseParser.MalformedException("event " + event.index() + " (" + event.name() + ") has no type");
    }
    switch (type.asText()) {
      case "message_start" -> message = d.get("message") instanceof ObjectNode m ? m.deepCopy() : JSON.createObjectNode();
      case "content_block_start" -> {
        ObjectNode block = d.get("content_block") instanceof ObjectNode b ? b.deepCopy() : JSON.createObjectNode();
        blocks.put(d.path("index").asInt(blocks.size()), new Block(block));
      }
      case "content_block_delta" -> delta(d.path("index").asInt(-1), d.path("delta"));
      case "message_delta" -> messageDelta(d);
      case "message_stop" -> finish();
      case "error" -> streamError(d);
      default -> { } // ping, and event types added later
    }
  }

  private void delta(int index, JsonNode delta) {
    Block b = blocks.computeIfAbsent(index, i -> new Block(JSON.createObjectNode()));
    switch (delta.path("type").asText("")) {
      case "text_delta" -> append(b.text = b.text == null ? new StringBuilder() : b.text, delta.path("text").asText(""));
      case "input_json_delta" ->
          append(b.json = b.json == null ? new StringBuilder() : b.json, delta.path("partial_json").asText(""));
      case "thinking_delta" ->
          append(b.thinking = b.thinking == null ? new StringBuilder() : b.thinking, delta.path("thinking").asText(""));
      case "signature_delta" -> b.node.put("signature", delta.path("signature").asText(""));
      case "citations_delta" -> {
        JsonNode citations = b.node.get("citations");
        ArrayNode list = citations instanceof ArrayNode a ? a : b.node.putArray("citations");
        list.add(delta.path("citation").deepCopy());
      }
      default -> { }
    }
  }

  private void messageDelta(ObjectNode d) {
    ObjectNode m = message == null ? (message = JSON.createObjectNode()) : message;
    JsonNode delta = d.path("delta");
    for (String f : new String[] {"stop_reason", "stop_sequence"}) {
      if (delta.has(f)) {
        m.set(f, delta.get(f).deepCopy());
      }
    }
    if (d.get("usage") instanceof ObjectNode usage) {
      ObjectNode total = m.get("usage") instanceof ObjectNode u ? u : m.putObject("usage");
      for (Map.Entry<String, JsonNode> f : usage.properties()) {
        if (!f.getValue().isNull()) {
          total.set(f.getKey(), f.getValue().deepCopy());
        }
      }
    }
  }

  @Override
  ObjectNode reply() {
    ObjectNode r = message == null ? JSON.createObjectNode().put("type", "message") : message.deepCopy();
    ArrayNode content = r.putArray("content");
    for (Block b : blocks.values()) {
      ObjectNode block = b.node.deepCopy();
      if (b.text != null) {
        block.put("text", block.path("text").asText("") + b.text);
      }
      if (b.thinking != null) {
        block.put("thinking", block.path("thinking").asText("") + b.thinking);
      }
      if (b.json != null) {
        block.set("input", input(b.json.toString()));
      }
      content.add(block);
    }
    return r;
  }

  private static JsonNode input(String json) {
    if (json.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(json); // cut: kept as received
    }
  }
}

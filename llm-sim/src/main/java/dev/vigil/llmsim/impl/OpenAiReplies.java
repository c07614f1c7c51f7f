package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.ModelReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Completion} as the OpenAI Chat Completions API does: one {@code chat.completion} object, or
 * {@code chat.completion.chunk}s as {@code data:} lines — the role first, then content pieces, then per tool call
 * its id and name followed by argument slices, then the finish reason, then (with {@code stream_options.
 * include_usage}) a usage chunk without choices — and {@code data: [DONE]}.
 */
final class OpenAiReplies {

  static final String FINGERPRINT = "fp_llmsim01";

  private OpenAiReplies() {}

  static JsonObject completion(Completion c, long created) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", c.hasText() ? c.text() : null);
    JsonArray calls = new JsonArray();
    for (int i = 0; i < c.blocks().size(); i++) {
      if (c.blocks().get(i) instanceof ModelReply.ToolUse use) {
        calls.add(new JsonObject().put("id", c.toolIds().get(i)).put("type", "function").put("function",
            new JsonObject().put("name", use.name()).put("arguments", use.input().encode())));
      }
    }
    if (!calls.isEmpty()) {
      message.put("tool_calls", calls);
    }
    message.put("refusal", null).put("annotations", new JsonArray());
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).put("logprobs", null)
        .put("finish_reason", c.stop().openAi);
    return head(c, "chat.completion", created).put("choices", new JsonArray().add(choice)).put("usage", usage(c));
  }

  static List<SseFrame> chunks(Completion c, long created, boolean includeUsage) {
    List<JsonObject> deltas = new ArrayList<>();
    boolean text = c.hasText();
    deltas.add(new JsonObject().put("role", "assistant").put("content", text ? "" : null).put("refusal", null));
    if (text) {
      for (String piece : Chunks.text(c.text())) {
        deltas.add(new JsonObject().put("content", piece));
      }
    }
    int callIndex = 0;
    for (int i = 0; i < c.blocks().size(); i++) {
      if (c.blocks().get(i) instanceof ModelReply.ToolUse use) {
        JsonObject first = new JsonObject().put("index", callIndex).put("id", c.toolIds().get(i))
            .put("type", "function").put("function", new JsonObject().put("name", use.name()).put("arguments", ""));
        deltas.add(new JsonObject().put("tool_calls", new JsonArray().add(first)));
        for (String piece : Chunks.json(use.input().encode())) {
          deltas.add(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", callIndex)
              .put("function", new JsonObject().put("arguments", piece)))));
        }
        callIndex++;
      }
    }
    List<SseFrame> out = new ArrayList<>();
    for (JsonObject delta : deltas) {
      out.add(chunk(c, created, delta, null, includeUsage));
    }
    out.add(chunk(c, created, new JsonObject(), c.stop().openAi, includeUsage));
    if (includeUsage) {
      out.add(SseFrame.data(head(c, "chat.completion.chunk", created).put("choices", new JsonArray())
          .put("usage", usage(c)).encode()));
    }
    out.add(SseFrame.data("[DONE]"));
    return out;
  }

  private static SseFrame chunk(Completion c, long created, JsonObject delta, String finish, boolean includeUsage) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("logprobs", null)
        .put("finish_reason", finish);
    JsonObject chunk = head(c, "chat.completion.chunk", created).put("choices", new JsonArray().add(choice));
    if (includeUsage) {
      chunk.put("usage", null);
    }
    return SseFrame.data(chunk.encode());
  }

  private static JsonObject head(Completion c, String object, long created) {
    return new JsonObject().put("id", c.id()).put("object", object).put("created", created).put("model", c.model())
        .put("service_tier", "default").put("system_fingerprint", FINGERPRINT);
  }

  private static JsonObject usage(Completion c) {
    return new JsonObject().put("prompt_tokens", c.inputTokens()).put("completion_tokens", c.outputTokens())
        .put("total_tokens", c.inputTokens() + c.outputTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0).put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0).put("audio_tokens", 0)
            .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0));
  }

  static JsonObject error(String message, String type, String code) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
        .put("param", null).put("code", code));
  }
}

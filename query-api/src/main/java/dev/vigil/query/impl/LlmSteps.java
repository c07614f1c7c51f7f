package dev.vigil.query.impl;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/** The steps of an LLM exchange: the prompt, the reply and the tools the model asked to use. */
final class LlmSteps {

  private LlmSteps() {}

  static String promptTitle(JsonObject request) {
    String model = Llm.model(Llm.parseObject(Bodies.text(request)));
    String call = request.getString("method", "POST") + " " + request.getString("path", "/");
    return model == null ? "prompt: " + call : "prompt to " + model + " (" + call + ")";
  }

  /** The last user message, else the whole recorded body. */
  static String promptDetail(JsonObject request) {
    if (request == null) {
      return null;
    }
    String text = Bodies.text(request);
    String last = Llm.lastUserMessage(Llm.parseObject(text));
    return last != null ? last : text;
  }

  /** The reply step (text, or an upstream error) and one {@code tool-use} step per tool call. */
  static List<Step> reply(JsonObject base, JsonObject end, JsonObject error, List<JsonObject> frames) {
    List<Step> out = new ArrayList<>();
    JsonObject at = end != null ? end : error != null ? error : frames.get(frames.size() - 1);
    String text = end == null ? null : Bodies.text(end);
    if (text == null && !frames.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      frames.forEach(f -> sb.append(Bodies.text(f) == null ? "" : Bodies.text(f)));
      text = sb.toString();
    }
    JsonObject body = Llm.parseObject(text);
    String model = Llm.model(body);
    Step reply = new Step("llm-reply", at, model == null ? "reply" : "reply from " + model);
    reply.status = CallSteps.status(end != null ? end : error);
    String replyText = Llm.replyText(body);
    reply.detail = error != null ? CallSteps.outcome(end, error) : replyText != null ? replyText : text;
    reply.eventIds.add(at.getString("eventId"));
    frames.forEach(f -> reply.eventIds.add(f.getString("eventId")));
    out.add(reply);
    for (Llm.ToolUse tool : Llm.toolUses(body)) {
      Step use = new Step("tool-use", at, tool.name());
      use.detail = tool.input();
      out.add(use);
    }
    return out;
  }
}

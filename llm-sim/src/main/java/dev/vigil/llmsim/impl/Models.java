package dev.vigil.llmsim.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code GET /v1/models} lists: a few real model names per provider plus the fault models. Any model name is
 * accepted by the chat endpoints; this list is only what discovery shows.
 */
final class Models {

  private record Model(String id, String displayName, String createdAt, long created) {}

  private static final List<Model> ANTHROPIC = List.of(
      new Model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z", 1759104000L),
      new Model("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-01T00:00:00Z", 1759276800L),
      new Model("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z", 1754352000L),
      new Model("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z", 1729555200L));
  private static final List<Model> OPENAI = List.of(
      new Model("gpt-4o", "GPT-4o", null, 1715367049L),
      new Model("gpt-4o-mini", "GPT-4o mini", null, 1721172741L),
      new Model("gpt-4.1", "GPT-4.1", null, 1744316542L),
      new Model("gpt-4.1-mini", "GPT-4.1 mini", null, 1744318173L));

  private Models() {}

  private static List<Model> all(List<Model> real) {
    List<Model> out = new ArrayList<>(real);
    for (Faults f : Faults.values()) {
      if (f.model() != null) {
        out.add(new Model(f.model(), "llm-sim fault mode " + f.model(), "2025-01-01T00:00:00Z", 1735689600L));
      }
    }
    return out;
  }

  static JsonObject anthropicList() {
    JsonArray data = new JsonArray();
    all(ANTHROPIC).forEach(m -> data.add(anthropic(m)));
    return new JsonObject().put("data", data).put("has_more", false)
        .put("first_id", data.getJsonObject(0).getString("id"))
        .put("last_id", data.getJsonObject(data.size() - 1).getString("id"));
  }

  /** The model object, or null when unknown. */
  static JsonObject anthropicModel(String id) {
    return all(ANTHROPIC).stream().filter(m -> m.id().equals(id)).findFirst().map(Models::anthropic).orElse(null);
  }

  static JsonObject openAiList() {
    JsonArray data = new JsonArray();
    all(OPENAI).forEach(m -> data.add(openAi(m)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** The model object, or null when unknown. */
  static JsonObject openAiModel(String id) {
    return all(OPENAI).stream().filter(m -> m.id().equals(id)).findFirst().map(Models::openAi).orElse(null);
  }

  private static JsonObject anthropic(Model m) {
    return new JsonObject().put("type", "model").put("id", m.id()).put("display_name", m.displayName())
        .put("created_at", m.createdAt());
  }

  private static JsonObject openAi(Model m) {
    return new JsonObject().put("id", m.id()).put("object", "model").put("created", m.created())
        .put("owned_by", m.id().startsWith("fault-") ? "llm-sim" : "system");
  }
}

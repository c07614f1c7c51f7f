package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.LlmSimOptions;
import dev.vigil.llmsim.ModelReply;
import dev.vigil.llmsim.ModelRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API endpoints: key check, validation, fault selection, the script, and the reply in the caller's format. */
final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
  /** Anthropic streams break after message_start, content_block_start, ping and one delta; OpenAI after 2 chunks. */
  private static final int ANTHROPIC_CUT = 4;
  private static final int OPENAI_CUT = 2;

  private final Vertx vertx;
  private final LlmSimOptions options;
  private final Ids ids = new Ids();
  private final ReplyWriter writer;

  Endpoints(Vertx vertx, LlmSimOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.writer = new ReplyWriter(vertx, options.getStreamChunkDelay().toMillis());
  }

  void anthropic(RoutingContext ctx, boolean countTokens) {
    try {
      checkAnthropicKey(ctx.request());
      if (options.isRequireAnthropicVersion() && !ctx.request().headers().contains("anthropic-version")) {
        throw ApiException.invalid("anthropic-version: header is required");
      }
      ModelRequest request = AnthropicRequests.parse(json(ctx), countTokens);
      if (countTokens) {
        writer.json(ctx, 200, AnthropicReplies.countTokens(Tokens.input(request)), Faults.NONE);
        return;
      }
      Faults fault = Faults.of(request.model());
      afterFirstByteDelay(fault, () -> {
        if (fault == Faults.HTTP_500) {
          error(ctx, true, new ApiException(500, "api_error", "Internal server error"));
          return;
        }
        Completion c = complete(ctx, request, ids.message(), ids::toolUse);
        if (c == null) {
          return;
        }
        if (request.stream()) {
          writer.stream(ctx, AnthropicReplies.events(c), fault, ANTHROPIC_CUT);
        } else {
          writer.json(ctx, 200, AnthropicReplies.message(c), fault);
        }
      });
    } catch (ApiException e) {
      error(ctx, true, e);
    }
  }

  void openAi(RoutingContext ctx) {
    try {
      checkOpenAiKey(ctx.request());
      ModelRequest request = OpenAiRequests.parse(json(ctx));
      Faults fault = Faults.of(request.model());
      boolean includeUsage = request.body().getJsonObject("stream_options", new JsonObject())
          .getBoolean("include_usage", false);
      afterFirstByteDelay(fault, () -> {
        if (fault == Faults.HTTP_500) {
          error(ctx, false, new ApiException(500, "server_error",
              "The server had an error while processing your request. Sorry about that!"));
          return;
        }
        Completion c = complete(ctx, request, ids.chatCompletion(), ids::toolCall);
        if (c == null) {
          return;
        }
        long created = System.currentTimeMillis() / 1000;
        if (request.stream()) {
          writer.stream(ctx, OpenAiReplies.chunks(c, created, includeUsage), fault, OPENAI_CUT);
        } else {
          writer.json(ctx, 200, OpenAiReplies.completion(c, created), fault);
        }
      });
    } catch (ApiException e) {
      error(ctx, false, e);
    } catch (ClassCastException e) {
      error(ctx, false, ApiException.invalid("Invalid type for 'stream_options'."));
    }
  }

  void models(RoutingContext ctx, boolean anthropic, String id) {
    try {
      if (anthropic) {
        checkAnthropicKey(ctx.request());
      } else {
        checkOpenAiKey(ctx.request());
      }
      JsonObject body = anthropic ? (id == null ? Models.anthropicList() : Models.anthropicModel(id))
          : (id == null ? Models.openAiList() : Models.openAiModel(id));
      if (body == null) {
        throw anthropic ? new ApiException(404, "not_found_error", "model: " + id)
            : new ApiException(404, "invalid_request_error", "The model '" + id + "' does not exist");
      }
      writer.json(ctx, 200, body, Faults.NONE);
    } catch (ApiException e) {
      error(ctx, anthropic, e);
    }
  }

  /** Sends {@code e} in the provider's error format, with its request-id header. */
  void error(RoutingContext ctx, boolean anthropic, ApiException e) {
    if (anthropic) {
      String requestId = requestId(ctx);
      writer.json(ctx, e.status(), AnthropicReplies.error(e.type(), e.getMessage(), requestId), Faults.NONE);
    } else {
      requestId(ctx);
      String code = e.status() == 401 && e.getMessage().startsWith("Incorrect") ? "invalid_api_key"
          : e.status() == 404 && e.getMessage().startsWith("The model") ? "model_not_found" : null;
      String type = e.type().equals("not_found_error") ? "invalid_request_error"
          : e.type().equals("request_too_large") ? "invalid_request_error" : e.type();
      writer.json(ctx, e.status(), OpenAiReplies.error(e.getMessage(), type, code), Faults.NONE);
    }
  }

  private String requestId(RoutingContext ctx) {
    String id = ctx.response().headers().get("request-id");
    if (id == null) {
      id = ids.request();
      ctx.response().putHeader("request-id", id).putHeader("x-request-id", id);
    }
    return id;
  }

  private Completion complete(RoutingContext ctx, ModelRequest request, String id, Supplier<String> toolIds) {
    ModelReply reply;
    try {
      reply = options.getScript().apply(request);
    } catch (RuntimeException e) {
      LOG.warn("llm-sim script {} failed: {}", options.getScript().getClass().getSimpleName(), e.toString());
      boolean anthropic = request.provider() == ModelRequest.Provider.ANTHROPIC;
      error(ctx, anthropic, new ApiException(500, anthropic ? "api_error" : "server_error",
          "llm-sim script failed: " + e.getMessage()));
      return null;
    }
    requestId(ctx);
    return Completion.of(request, reply, id, toolIds);
  }

  private void afterFirstByteDelay(Faults fault, Runnable then) {
    long delay = fault == Faults.SLOW_FIRST_BYTE ? options.getSlowFirstByteDelay().toMillis() : 0;
    if (delay > 0) {
      vertx.setTimer(delay, id -> then.run());
    } else {
      then.run();
    }
  }

  private static JsonObject json(RoutingContext ctx) throws ApiException {
    String body = ctx.body().asString();
    if (body == null || body.isBlank()) {
      throw ApiException.invalid("The request body is empty: a JSON object is expected");
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw ApiException.invalid("The request body is not a valid JSON object");
    }
  }

  private void checkAnthropicKey(HttpServerRequest req) throws ApiException {
    String expected = options.getAnthropicApiKey();
    if (expected == null) {
      return;
    }
    String given = req.getHeader("x-api-key");
    if (given == null) {
      throw new ApiException(401, "authentication_error", "x-api-key header is required");
    }
    if (!same(given, expected)) {
      throw new ApiException(401, "authentication_error", "invalid x-api-key");
    }
  }

  private void checkOpenAiKey(HttpServerRequest req) throws ApiException {
    String expected = options.getOpenAiApiKey();
    if (expected == null) {
      return;
    }
    String auth = req.getHeader("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "invalid_request_error", "You didn't provide an API key. You need to provide "
          + "your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    if (!same(auth.substring(7).trim(), expected)) {
      throw new ApiException(401, "invalid_request_error", "Incorrect API key provided.");
    }
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}

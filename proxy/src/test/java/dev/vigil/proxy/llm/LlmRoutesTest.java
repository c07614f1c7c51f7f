package dev.vigil.proxy.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

class LlmRoutesTest {

  @Test
  void shouldRouteTheContractsPathsOnly() {
    assertThat(LlmRoutes.match("POST", "/llm/anthropic/v1/messages").route())
        .isEqualTo(new LlmRoutes.Route("anthropic", "messages", "POST", "/v1/messages", null));
    assertThat(LlmRoutes.match("POST", "/llm/anthropic/v1/messages/count_tokens").route().operation())
        .isEqualTo("count_tokens");
    assertThat(LlmRoutes.match("GET", "/llm/anthropic/v1/models").route().operation()).isEqualTo("models");
    assertThat(LlmRoutes.match("GET", "/llm/anthropic/v1/models/claude-3-5-haiku-20241022").route())
        .isEqualTo(new LlmRoutes.Route("anthropic", "models", "GET", "/v1/models/claude-3-5-haiku-20241022",
            "claude-3-5-haiku-20241022"));
    assertThat(LlmRoutes.match("POST", "/llm/openai/v1/chat/completions").route())
        .isEqualTo(new LlmRoutes.Route("openai", "chat.completions", "POST", "/v1/chat/completions", null));
    assertThat(LlmRoutes.match("GET", "/llm/openai/v1/models").route().upstreamPath()).isEqualTo("/v1/models");
  }

  @Test
  void shouldAnswer404Or405ForEverythingElse() {
    for (String path : new String[] {"/llm/anthropic/v1/messages/", "/llm/anthropic/v1/complete", "/llm/anthropic",
        "/llm/anthropic/v1/models/a/b", "/llm/anthropic/v1/models/a%2Fb", "/llm/openai/v1/models/gpt-4o",
        "/llm/openai/v1/messages", "/llm/other/v1/messages", "/llm/", "/llm"}) {
      assertThat(LlmRoutes.match("POST", path).status()).as(path).isEqualTo(404);
    }
    LlmRoutes.Match wrongMethod = LlmRoutes.match("GET", "/llm/anthropic/v1/messages");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.allow()).isEqualTo("POST");
  }

  @Test
  void shouldTellLlmPathsAndProviders() {
    assertThat(LlmRoutes.isLlmPath("/llm")).isTrue();
    assertThat(LlmRoutes.isLlmPath("/llm/openai/v1/models")).isTrue();
    assertThat(LlmRoutes.isLlmPath("/llmx")).isFalse();
    assertThat(LlmRoutes.isLlmPath("/api/v1/llm")).isFalse();
    assertThat(LlmRoutes.provider("/llm/anthropic/v1/messages")).isEqualTo("anthropic");
    assertThat(LlmRoutes.provider("/llm/")).isNull();
  }

  @Test
  void shouldAnswerErrorsInEachProvidersFormat() {
    JsonObject anthropic = new JsonObject(new AnthropicProvider().error(413, "too big"));
    assertThat(anthropic).isEqualTo(new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\","
        + "\"message\":\"too big\"}}"));
    assertThat(AnthropicProvider.type(401)).isEqualTo("authentication_error");
    assertThat(AnthropicProvider.type(403)).isEqualTo("permission_error");
    assertThat(AnthropicProvider.type(400)).isEqualTo("invalid_request_error");
    assertThat(AnthropicProvider.type(502)).isEqualTo("api_error");
    assertThat(AnthropicProvider.type(503)).isEqualTo("overloaded_error");
    assertThat(AnthropicProvider.type(504)).isEqualTo("api_error");

    JsonObject openai = new JsonObject(new OpenAiProvider().error(401, "no"));
    assertThat(openai).isEqualTo(new JsonObject("{\"error\":{\"message\":\"no\",\"type\":\"invalid_request_error\","
        + "\"param\":null,\"code\":\"invalid_api_key\"}}"));
    assertThat(new JsonObject(new OpenAiProvider().error(504, "slow")).getJsonObject("error").getString("type"))
        .isEqualTo("server_error");
  }

  @Test
  void shouldRelayOnlyTheProvidersHeadersAndPresentTheGatewaysKey() {
    LlmProvider anthropic = new AnthropicProvider();
    assertThat(anthropic.relays("Anthropic-Version")).isTrue();
    assertThat(anthropic.relays("anthropic-beta")).isTrue();
    assertThat(anthropic.relays("Content-Type")).isTrue();
    for (String h : new String[] {"Authorization", "x-api-key", "Cookie", "Impersonate-User", "X-Vigil-Session",
        "X-Forwarded-For", "Proxy-Authorization"}) {
      assertThat(anthropic.relays(h)).as(h).isFalse();
      assertThat(new OpenAiProvider().relays(h)).as(h).isFalse();
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    anthropic.authorize(headers, "sk-ant-gateway");
    assertThat(headers.get("x-api-key")).isEqualTo("sk-ant-gateway");
    new OpenAiProvider().authorize(headers, "sk-openai-gateway");
    assertThat(headers.get("Authorization")).isEqualTo("Bearer sk-openai-gateway");
  }

  @Test
  void shouldReadTheCallersTokenFromAuthorizationOrXApiKey() {
    assertThat(LlmCredentials.of(MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer abc")).token())
        .isEqualTo("abc");
    assertThat(LlmCredentials.of(MultiMap.caseInsensitiveMultiMap().add("x-api-key", " abc ")).token()).isEqualTo("abc");
    assertThat(LlmCredentials.of(MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer a")
        .add("x-api-key", "b")).token()).isEqualTo("a");
    LlmCredentials.Credential basic = LlmCredentials.of(MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Basic dXNlcjpwYXNz"));
    assertThat(basic.token()).isNull();
    assertThat(basic.problem()).doesNotContain("dXNlcjpwYXNz");
    assertThat(LlmCredentials.of(MultiMap.caseInsensitiveMultiMap()).problem()).isEqualTo("no token");
  }
}

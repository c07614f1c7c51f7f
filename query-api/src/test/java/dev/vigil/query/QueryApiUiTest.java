package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.common.Settings;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.query.impl.UiRoutes;

/** The UI as the real query API serves it (no OpenSearch needed): mounted at /, headers, and /api/* still guarded. */
class QueryApiUiTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;
  private static DevOidcIssuer issuer;
  private static QueryApi api;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    issuer = await(DevOidcIssuer.start(vertx, 0));
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    api = await(QueryApi.start(vertx, QueryApiConfig.from(Settings.of(Map.of(
        "vigil.query.port", "0",
        "vigil.query.oidc.issuer", issuer.issuerUrl(),
        "vigil.query.opensearch.url", "http://127.0.0.1:" + deadPort)))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      await(api.close());
    }
    if (issuer != null) {
      await(issuer.close());
    }
    await(vertx.close());
  }

  @Test
  void theConsoleIsServedAtTheRootWithoutAToken() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("/ui/app.js");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(UiRoutes.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(get("/ui/player.js").statusCode()).isEqualTo(200);
  }

  @Test
  void aMissingUiFileIsTheApiErrorShapeWithTheUiHeaders() throws Exception {
    HttpResponse<String> r = get("/ui/missing.js");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(UiRoutes.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void theApiStillNeedsAToken() throws Exception {
    assertThat(get("/api/v1/events").statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/sessions").statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

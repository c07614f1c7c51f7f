package dev.vigil.embedded.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DevOidcIssuerTest {

  private static Vertx vertx;
  private static DevOidcIssuer issuer;
  private static JWTAuth verifier;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    issuer = DevOidcIssuer.start(vertx, 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpClient http = HttpClient.newHttpClient();
    JsonObject discovery = new JsonObject(http.send(HttpRequest.newBuilder(
        URI.create(issuer.issuerUrl() + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(discovery.getString("issuer")).isEqualTo(issuer.issuerUrl());
    JsonObject jwks = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(discovery.getString("jwks_uri"))).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    List<JsonObject> keys = new ArrayList<>();
    jwks.getJsonArray("keys").forEach(k -> keys.add((JsonObject) k));
    verifier = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(keys)
        .setJWTOptions(new JWTOptions().setIssuer(issuer.issuerUrl()).setAudience(List.of("vigil"))));
  }

  @AfterAll
  static void stop() throws Exception {
    issuer.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static User verify(String token) throws Exception {
    return verifier.authenticate(new TokenCredentials(token)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldMintTokensThatVerifyAgainstThePublishedJwks() throws Exception {
    User user = verify(issuer.mint("agent-1", List.of("ai-agents"), Duration.ofMinutes(5)));
    assertThat(user.principal().getString("sub")).isEqualTo("agent-1");
    assertThat(user.principal().getJsonArray("groups")).isEqualTo(new JsonArray().add("ai-agents"));
  }

  @Test
  void shouldMintTokensThatFailVerificationWhenSignedByAnUnknownKey() {
    assertThatThrownBy(() -> verify(issuer.mintWithUnknownKey("agent-1"))).isInstanceOf(java.util.concurrent.ExecutionException.class);
  }

  @Test
  void shouldMintExactClaimsForNegativeTests() {
    JsonObject expired = issuer.claims("agent-1", List.of(), Duration.ofMinutes(5))
        .put("exp", Instant.now().minusSeconds(3600).getEpochSecond());
    assertThatThrownBy(() -> verify(issuer.mint(expired))).isInstanceOf(java.util.concurrent.ExecutionException.class);
  }

  @Test
  void shouldServeTheTokenEndpoint() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer.issuerUrl() + "/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("subject=analyst-1&groups=vigil-analysts")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    User user = verify(new JsonObject(r.body()).getString("access_token"));
    assertThat(user.principal().getJsonArray("groups")).containsExactly("vigil-analysts");
  }
}

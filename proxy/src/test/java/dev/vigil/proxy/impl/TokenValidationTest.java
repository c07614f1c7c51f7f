package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The checks around signature verification: header parsing, algorithm allow-list, claims. */
class TokenValidationTest {

  private static final long NOW = 1_700_000_000L;
  private final ClaimsValidator validator = new ClaimsValidator("https://issuer", "vigil", "email", "", "roles", "", 30);

  private static JsonObject claims() {
    return new JsonObject().put("iss", "https://issuer").put("aud", "vigil").put("sub", "u-1")
        .put("email", "alice@example.com").put("roles", new JsonArray().add("dev").add("ops"))
        .put("iat", NOW - 10).put("nbf", NOW - 10).put("exp", NOW + 600);
  }

  @Test
  void shouldMapIdentityFromConfiguredClaims() throws Exception {
    CallerIdentity id = validator.validate(claims(), NOW);

    assertThat(id.subject()).isEqualTo("u-1");
    assertThat(id.username()).isEqualTo("alice@example.com");
    assertThat(id.groups()).containsExactly("dev", "ops");
    assertThat(id.issuer()).isEqualTo("https://issuer");
  }

  @Test
  void shouldAcceptAudienceListsSingleGroupStringsAndSmallClockSkew() throws Exception {
    JsonObject c = claims().put("aud", new JsonArray().add("other").add("vigil")).put("roles", "admins")
        .put("exp", NOW - 20).put("nbf", NOW + 20);

    CallerIdentity id = validator.validate(c, NOW);

    assertThat(id.groups()).containsExactly("admins");
  }

  @Test
  void shouldRejectBadClaimsWithSafeReasons() {
    assertReason(claims().put("iss", "https://evil"), "issuer");
    assertReason(claims().put("aud", "other"), "audience");
    assertReason(claims().put("aud", new JsonArray().add("other")), "audience");
    assertReason(without(claims(), "aud"), "audience");
    assertReason(claims().put("exp", NOW - 31), "expired");
    assertReason(without(claims(), "exp"), "no exp");
    assertReason(claims().put("exp", "tomorrow"), "not a number");
    assertReason(claims().put("nbf", NOW + 31), "not valid yet");
    assertReason(claims().put("iat", NOW + 3600), "future");
    assertReason(without(claims(), "sub"), "no sub");
    assertReason(without(claims(), "email"), "no email");
    assertReason(claims().put("roles", new JsonArray().add(1)), "groups");
  }

  @Test
  void shouldMapUsernamesAndGroupsWithPrefixesLikeKubeApiserver() throws Exception {
    ClaimsValidator prefixed = new ClaimsValidator("https://issuer", "vigil", "sub", "corp:", "roles", "corp:", 30);

    CallerIdentity id = prefixed.validate(claims(), NOW);

    assertThat(id.subject()).isEqualTo("u-1");
    assertThat(id.username()).isEqualTo("corp:u-1");
    assertThat(id.groups()).containsExactly("corp:dev", "corp:ops");
  }

  @Test
  void shouldRequireAVerifiedEmailWhenTheUsernameIsTheEmail() throws Exception {
    assertThat(validator.validate(claims().put("email_verified", true), NOW).username()).isEqualTo("alice@example.com");
    assertReason(claims().put("email_verified", false), "not verified");
    assertReason(claims().put("email_verified", "true"), "not verified");
  }

  @Test
  void shouldRefuseReservedAndUnforwardableNames() {
    assertReason(claims().put("email", "system:admin"), "reserved username");
    assertReason(claims().put("email", "System:Admin"), "reserved username");
    assertReason(claims().put("roles", new JsonArray().add("dev").add("system:masters")), "reserved group");
    assertReason(claims().put("email", "alice\r\nImpersonate-User: root"), "control characters");
    assertReason(claims().put("roles", "ops\u0000"), "control characters");
  }

  @Test
  void shouldRefusePaddedOrEmptyNamesThatUpstreamWouldTrimIntoReservedOnes() {
    assertReason(claims().put("roles", new JsonArray().add(" system:masters")), "whitespace-padded group");
    assertReason(claims().put("roles", new JsonArray().add("\tsystem:masters")), "whitespace-padded group");
    assertReason(claims().put("roles", new JsonArray().add("ops ")), "whitespace-padded group");
    assertReason(claims().put("roles", new JsonArray().add("")), "empty or whitespace-padded group");
    assertReason(claims().put("email", " system:kube-controller-manager"), "whitespace-padded username");
  }

  private void assertReason(JsonObject c, String fragment) {
    assertThatThrownBy(() -> validator.validate(c, NOW)).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining(fragment);
  }

  private static JsonObject without(JsonObject c, String key) {
    c.remove(key);
    return c;
  }

  @Test
  void shouldExtractBearerTokensOnly() throws Exception {
    assertThat(TokenAuthenticator.bearerToken("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
    assertThat(TokenAuthenticator.bearerToken("bearer   abc ")).isEqualTo("abc");
    assertThatThrownBy(() -> TokenAuthenticator.bearerToken(null)).hasMessage("no bearer token");
    assertThatThrownBy(() -> TokenAuthenticator.bearerToken("Bearer ")).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> TokenAuthenticator.bearerToken("Basic YTpi")).isInstanceOf(AuthenticationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "HS512", "RS1", ""})
  void shouldRefuseSymmetricAndUnsignedAlgorithms(String alg) {
    String token = jwt(new JsonObject().put("alg", alg), "sig");

    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm(token)).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("not accepted");
  }

  @Test
  void shouldAcceptAsymmetricAlgorithmsAndRejectMalformedTokens() throws Exception {
    TokenAuthenticator.checkAlgorithm(jwt(new JsonObject().put("alg", "RS256").put("kid", "k"), "sig"));
    TokenAuthenticator.checkAlgorithm(jwt(new JsonObject().put("alg", "ES256"), "sig"));

    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm(jwt(new JsonObject().put("alg", "RS256"), "")))
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm("a.b")).hasMessageContaining("malformed");
    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm("!!!.b.c")).hasMessageContaining("malformed");
  }

  private static String jwt(JsonObject header, String signature) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "." + signature;
  }
}

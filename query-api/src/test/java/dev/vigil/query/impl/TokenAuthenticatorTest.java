package dev.vigil.query.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {

  private static String jwt(String alg) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(new JsonObject().put("alg", alg).put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  @Test
  void shouldExtractBearerTokens() {
    assertThat(TokenAuthenticator.bearerToken("Bearer abc.def.ghi")).isEqualTo("abc.def.ghi");
    assertThat(TokenAuthenticator.bearerToken("bearer   abc")).isEqualTo("abc");
  }

  @Test
  void shouldRejectMissingOrNonBearerCredentials() {
    for (String h : new String[] {null, "", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer"}) {
      assertThatThrownBy(() -> TokenAuthenticator.bearerToken(h)).as(String.valueOf(h))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }

  @Test
  void shouldAcceptOnlyRsaAndEcSignatures() {
    for (String alg : new String[] {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}) {
      assertThatCode(() -> TokenAuthenticator.checkAlgorithm(jwt(alg))).as(alg).doesNotThrowAnyException();
    }
    for (String alg : new String[] {"none", "HS256", "HS512", "PS256", "EdDSA"}) {
      assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm(jwt(alg))).as(alg)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
    }
  }

  @Test
  void shouldRejectThingsThatAreNotJwts() {
    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm("opaque-token")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> TokenAuthenticator.checkAlgorithm("!!!.e30.sig")).isInstanceOf(ApiException.class);
  }

  @Test
  void shouldReadGroupsFromFlatOrNestedClaims() {
    JsonObject claims = new JsonObject()
        .put("groups", new JsonArray().add("vigil-analysts").add(3).add("dev"))
        .put("realm_access", new JsonObject().put("roles", new JsonArray().add("auditor")))
        .put("single", "one");

    assertThat(TokenAuthenticator.groups(claims, "groups")).containsExactly("vigil-analysts", "dev");
    assertThat(TokenAuthenticator.groups(claims, "realm_access.roles")).containsExactly("auditor");
    assertThat(TokenAuthenticator.groups(claims, "single")).containsExactly("one");
    assertThat(TokenAuthenticator.groups(claims, "missing.path")).isEmpty();
  }

  @Test
  void shouldRefuseUsernamesTheGatewayNeverRecordsAsACaller() {
    assertThat(TokenAuthenticator.username("oidc:agent-1")).isEqualTo("oidc:agent-1");
    for (String name : new String[] {"system:anonymous", "SYSTEM:masters", " agent-1", "agent-1\t", "agent\u00071"}) {
      assertThatThrownBy(() -> TokenAuthenticator.username(name)).as(name)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }
}

package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.function.LongSupplier;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;

/**
 * Authenticates a caller from its {@code Authorization: Bearer <JWT>} header: the token's header must name an
 * asymmetric algorithm (RS/PS/ES*, EdDSA: never {@code none} or HS*), its signature must verify against the issuer's
 * JWKS (re-read once on an unknown key id), then {@link ClaimsValidator} checks iss/aud/exp/nbf/iat and maps the
 * identity. Failures are {@link AuthenticationException}s whose reasons never include the token.
 */
final class TokenAuthenticator {

  static final Set<String> ALLOWED_ALGORITHMS = Set.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  private final OidcKeys keys;
  private final ClaimsValidator claims;
  private final LongSupplier epochSeconds;

  TokenAuthenticator(OidcKeys keys, ClaimsValidator claims, LongSupplier epochSeconds) {
    this.keys = keys;
    this.claims = claims;
    this.epochSeconds = epochSeconds;
  }

  /** The caller's identity, or a failed future with an {@link AuthenticationException}. */
  Future<CallerIdentity> authenticate(String authorizationHeader) {
    String token;
    try {
      token = bearerToken(authorizationHeader);
      checkAlgorithm(token);
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    }
    return verify(token, true).compose(payload -> {
      try {
        return Future.succeededFuture(claims.validate(payload, epochSeconds.getAsLong()));
      } catch (AuthenticationException e) {
        return Future.failedFuture(e);
      }
    });
  }

  static String bearerToken(String header) throws AuthenticationException {
    if (header == null || header.isBlank()) {
      throw new AuthenticationException("no bearer token");
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AuthenticationException("the Authorization header is not a bearer token");
    }
    String token = h.substring(7).strip();
    if (token.isEmpty()) {
      throw new AuthenticationException("no bearer token");
    }
    return token;
  }

  /** Rejects tokens that are not three-part JWS with an allowed asymmetric algorithm, before any key lookup. */
  static void checkAlgorithm(String token) throws AuthenticationException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw new AuthenticationException("malformed token: not a signed JWT");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new AuthenticationException("malformed token: unreadable header");
    }
    Object alg = header.getValue("alg");
    if (!(alg instanceof String) || !ALLOWED_ALGORITHMS.contains(alg)) {
      throw new AuthenticationException("token signing algorithm " + (alg instanceof String ? alg : "(none)")
          + " is not accepted (asymmetric algorithms only)");
    }
  }

  private Future<JsonObject> verify(String token, boolean mayRefresh) {
    return keys.current().authenticate(new TokenCredentials(token))
        .map(TokenAuthenticator::payload)
        .recover(err -> {
          if (err instanceof NoSuchKeyIdException) {
            if (mayRefresh) {
              return keys.refresh().compose(k -> verify(token, false));
            }
            return Future.failedFuture(new AuthenticationException("token signed by an unknown key"));
          }
          if (err instanceof java.security.SignatureException) {
            return Future.failedFuture(new AuthenticationException("token signature is invalid"));
          }
          return Future.failedFuture(new AuthenticationException("malformed token"));
        });
  }

  private static JsonObject payload(User user) {
    JsonObject p = user.attributes().getJsonObject("accessToken");
    return p != null ? p : new JsonObject();
  }
}

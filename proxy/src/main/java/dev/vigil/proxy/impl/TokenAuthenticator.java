package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.function.LongSupplier;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;

/**
 * Authenticates a caller from its bearer token: {@code Authorization: Bearer <JWT>}, or — for a WebSocket upgrade
 * without an Authorization header, as kube-apiserver accepts — the {@code Sec-WebSocket-Protocol} entry
 * {@code base64url.bearer.authorization.k8s.io.<base64url token>} ({@link WebSocketBearer}).
 *
 * <p>The token's header must name an asymmetric algorithm (RS/PS/ES*, EdDSA: never {@code none} or HS*, checked before
 * any key lookup, so an HS256 token "signed" with an issuer's public key is refused too); its (unverified) {@code iss}
 * picks one of the {@link TrustedIssuers}; its signature must verify against that issuer's JWKS (re-read once on an
 * unknown key id); then the issuer's {@link ClaimsValidator} checks iss/aud/exp/nbf/iat and maps the identity.
 * Failures are {@link AuthenticationException}s whose reasons never include the token.
 */
final class TokenAuthenticator {

  static final Set<String> ALLOWED_ALGORITHMS = Set.of(
      "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  private final TrustedIssuers issuers;
  private final LongSupplier epochSeconds;

  TokenAuthenticator(TrustedIssuers issuers, LongSupplier epochSeconds) {
    this.issuers = issuers;
    this.epochSeconds = epochSeconds;
  }

  /** The caller's identity from the request headers, or a failed future with an {@link AuthenticationException}. */
  Future<CallerIdentity> authenticate(MultiMap headers) {
    try {
      return authenticateToken(credential(headers));
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    }
  }

  /** The caller's identity from an {@code Authorization} header value. */
  Future<CallerIdentity> authenticate(String authorizationHeader) {
    try {
      return authenticateToken(bearerToken(authorizationHeader));
    } catch (AuthenticationException e) {
      return Future.failedFuture(e);
    }
  }

  /** The bearer token of a request: the Authorization header, else a WebSocket bearer subprotocol. */
  static String credential(MultiMap headers) throws AuthenticationException {
    String authorization = headers.get("Authorization");
    if (authorization == null && WebSocketBearer.isWebSocketUpgrade(headers)) {
      String token = WebSocketBearer.token(headers);
      if (token != null) {
        return token;
      }
    }
    return bearerToken(authorization);
  }

  private Future<CallerIdentity> authenticateToken(String token) throws AuthenticationException {
    checkAlgorithm(token);
    TrustedIssuers.Issuer issuer = issuers.forIssuer(unverifiedClaims(token).getValue("iss"));
    if (issuer == null) {
      throw new AuthenticationException("token issuer is not trusted");
    }
    return verify(issuer.keys(), token, true).compose(payload -> {
      try {
        return Future.succeededFuture(issuer.claims().validate(payload, epochSeconds.getAsLong()));
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
    if (parts.length != 3) {
      throw new AuthenticationException("malformed token: not a signed JWT");
    }
    JsonObject header = decodePart(parts[0], "header");
    Object alg = header.getValue("alg");
    if (!(alg instanceof String) || !ALLOWED_ALGORITHMS.contains(alg)) {
      throw new AuthenticationException("token signing algorithm " + (alg instanceof String ? alg : "(none)")
          + " is not accepted (asymmetric algorithms only)");
    }
    if (parts[2].isEmpty()) {
      throw new AuthenticationException("malformed token: not a signed JWT");
    }
  }

  /** The payload of a token whose format was checked, before its signature is: only to pick the issuer. */
  static JsonObject unverifiedClaims(String token) throws AuthenticationException {
    return decodePart(token.split("\\.", -1)[1], "payload");
  }

  private static JsonObject decodePart(String part, String what) throws AuthenticationException {
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new AuthenticationException("malformed token: unreadable " + what);
    }
  }

  private static Future<JsonObject> verify(OidcKeys keys, String token, boolean mayRefresh) {
    return keys.current().authenticate(new TokenCredentials(token))
        .map(TokenAuthenticator::payload)
        .recover(err -> {
          if (err instanceof NoSuchKeyIdException) {
            if (mayRefresh) {
              return keys.refresh().compose(k -> verify(keys, token, false));
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

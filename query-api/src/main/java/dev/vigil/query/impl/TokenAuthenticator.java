package dev.vigil.query.impl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.common.KubeNames;
import dev.vigil.query.QueryApiConfig;

/**
 * Validates {@code Authorization: Bearer <JWT>} locally against the issuer's published keys (OIDC discovery through
 * vertx-auth-oauth2): signature (RS256/384/512 or ES256/384/512 only), issuer, audience (required and must contain the
 * configured one), expiry/not-before. No token is ever sent anywhere (introspection and userinfo are disabled) nor logged.
 * An unknown key id triggers a (rate-limited) reload of the issuer's JWKS, so key rotation is picked up.
 */
public final class TokenAuthenticator {

  private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);
  static final Set<String> ALLOWED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
  private static final long JWKS_RELOAD_MIN_INTERVAL_MS = 30_000;
  private static final int CLOCK_SKEW_SECONDS = 30;

  private final OAuth2Auth auth;
  private final String issuer;
  private final String audience;
  private final String groupsClaim;
  private final String usernameClaim;
  private final String usernamePrefix;
  private volatile long lastJwksReload;

  private TokenAuthenticator(Vertx vertx, OAuth2Auth auth, QueryApiConfig config) {
    this.auth = auth;
    this.issuer = config.oidcIssuer();
    this.audience = config.oidcAudience();
    this.groupsClaim = config.groupsClaim();
    this.usernameClaim = config.usernameClaim();
    this.usernamePrefix = config.usernamePrefix();
    this.lastJwksReload = System.currentTimeMillis();
    auth.missingKeyHandler(kid -> {
      long now = System.currentTimeMillis();
      if (now - lastJwksReload >= JWKS_RELOAD_MIN_INTERVAL_MS) {
        lastJwksReload = now;
        LOG.info("Token signed with unknown key id {}; reloading the issuer's JWKS", kid);
        auth.jWKSet().onFailure(e -> LOG.warn("Reloading JWKS from {} failed: {}", issuer, e.toString()));
      }
    });
  }

  /** Runs OIDC discovery of the configured issuer and loads its JWKS. */
  public static Future<TokenAuthenticator> create(Vertx vertx, QueryApiConfig config) {
    OAuth2Options options = new OAuth2Options()
        .setSite(config.oidcIssuer())
        .setClientId(config.oidcAudience())
        .setValidateIssuer(true)
        .setJWTOptions(new JWTOptions().setAudience(List.of(config.oidcAudience())).setLeeway(CLOCK_SKEW_SECONDS));
    return OpenIDConnectAuth.discover(vertx, options).map(auth -> {
      // Local validation only: never hand a caller's token to the issuer (introspection/userinfo fallbacks).
      options.setIntrospectionPath(null);
      options.setUserInfoPath(null);
      return new TokenAuthenticator(vertx, auth, config);
    });
  }

  /** Authenticates an {@code Authorization} header value; fails with a 401 {@link ApiException}. */
  public Future<Caller> authenticate(String authorization) {
    String token;
    try {
      token = bearerToken(authorization);
      checkAlgorithm(token);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(e -> {
          LOG.debug("Token rejected: {}", e.getMessage());
          return Future.failedFuture(ApiException.unauthorized("Invalid or expired token"));
        })
        .compose(user -> {
          JsonObject claims = user.attributes() == null ? null : user.attributes().getJsonObject("accessToken");
          if (claims == null) {
            return Future.failedFuture(ApiException.unauthorized("Invalid or expired token"));
          }
          try {
            return Future.succeededFuture(caller(claims));
          } catch (ApiException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** Checks the claims vertx-auth does not insist on and builds the caller. */
  Caller caller(JsonObject claims) {
    if (!issuer.equals(stripSlash(claims.getString("iss")))) {
      throw ApiException.unauthorized("Token issuer is not trusted");
    }
    if (!audiences(claims.getValue("aud")).contains(audience)) {
      throw ApiException.unauthorized("Token audience does not include " + audience);
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      throw ApiException.unauthorized("Token has no expiry");
    }
    String subject = claims.getValue("sub") instanceof String s && !s.isBlank() ? s : null;
    if (subject == null) {
      throw ApiException.unauthorized("Token has no subject");
    }
    // the username as the gateway maps it (username claim + prefix): the identity.username of the caller's own events
    String name = claims.getValue(usernameClaim) instanceof String u && !u.isBlank() ? u : null;
    if (name == null) {
      throw ApiException.unauthorized("Token has no " + usernameClaim + " claim");
    }
    if (KubeNames.unverifiedEmail(usernameClaim, claims.getMap())) {
      // the gateway refuses such a token, so no event of this caller is recorded under that address: neither may
      // it read the events of whoever verified it
      throw ApiException.unauthorized("Token email is not verified (email_verified)");
    }
    return new Caller(subject, username(usernamePrefix + name), groups(claims, groupsClaim));
  }

  /**
   * The mapped username, refused as the gateway refuses it: a {@code system:} name is one of Kubernetes' own
   * identities (the gateway records unauthenticated calls as {@code system:anonymous}: a token naming itself so must
   * not read them), a padded or control-character name is never one the gateway recorded.
   */
  static String username(String mapped) {
    KubeNames.Refusal refusal = KubeNames.refusal(mapped);
    if (refusal == null) {
      return mapped;
    }
    throw ApiException.unauthorized(switch (refusal) {
      case EMPTY_OR_PADDED -> "Token username is empty or whitespace-padded";
      case RESERVED -> "Token username is reserved (system:*)";
      case CONTROL_CHARACTERS -> "Token username contains control characters";
    });
  }

  /** The groups at {@code claimPath} (dotted path into nested objects): an array of strings or one string. */
  static List<String> groups(JsonObject claims, String claimPath) {
    Object v = claims;
    for (String part : claimPath.split("\\.")) {
      if (!(v instanceof JsonObject o)) {
        return List.of();
      }
      v = o.getValue(part);
    }
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      for (Object g : a) {
        if (g instanceof String s) {
          out.add(s);
        }
      }
    } else if (v instanceof String s) {
      out.add(s);
    }
    return List.copyOf(out);
  }

  private static List<String> audiences(Object aud) {
    List<String> out = new ArrayList<>();
    if (aud instanceof String s) {
      out.add(s);
    } else if (aud instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  static String bearerToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw ApiException.unauthorized("Missing bearer token");
    }
    String h = authorization.strip();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      throw ApiException.unauthorized("Authorization must be a bearer token");
    }
    String token = h.substring(7).strip();
    if (token.isEmpty()) {
      throw ApiException.unauthorized("Missing bearer token");
    }
    return token;
  }

  /** Rejects tokens that are not three-part JWS with an RS or ES algorithm, before any key lookup. */
  static void checkAlgorithm(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw ApiException.unauthorized("Token is not a JWT");
    }
    String alg;
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      alg = header.getValue("alg") instanceof String a ? a : null;
    } catch (RuntimeException e) {
      throw ApiException.unauthorized("Token is not a JWT");
    }
    if (alg == null || !ALLOWED_ALGORITHMS.contains(alg)) {
      throw ApiException.unauthorized("Token algorithm not accepted");
    }
  }

  private static String stripSlash(String s) {
    return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public void close() {
    auth.close();
  }
}

package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks the claims of a token whose signature was already verified: {@code iss} is the issuer, {@code aud}
 * contains the audience, {@code exp} is present and not passed, {@code nbf} and {@code iat} are not in the future
 * (each with the configured clock skew), {@code sub} is present. Then maps the caller's identity from the
 * configured username and groups claims.
 */
final class ClaimsValidator {

  private final String issuer;
  private final String audience;
  private final String usernameClaim;
  private final String groupsClaim;
  private final long skewSeconds;

  ClaimsValidator(String issuer, String audience, String usernameClaim, String groupsClaim, long skewSeconds) {
    this.issuer = issuer;
    this.audience = audience;
    this.usernameClaim = usernameClaim;
    this.groupsClaim = groupsClaim;
    this.skewSeconds = skewSeconds;
  }

  CallerIdentity validate(JsonObject claims, long nowEpochSeconds) throws AuthenticationException {
    if (!issuer.equals(claims.getValue("iss"))) {
      throw new AuthenticationException("token issuer is not the configured issuer");
    }
    if (!audienceMatches(claims.getValue("aud"))) {
      throw new AuthenticationException("token audience does not include '" + audience + "'");
    }
    Long exp = seconds(claims, "exp");
    if (exp == null) {
      throw new AuthenticationException("token has no exp claim");
    }
    if (nowEpochSeconds - skewSeconds >= exp) {
      throw new AuthenticationException("token expired");
    }
    Long nbf = seconds(claims, "nbf");
    if (nbf != null && nbf > nowEpochSeconds + skewSeconds) {
      throw new AuthenticationException("token not valid yet (nbf)");
    }
    Long iat = seconds(claims, "iat");
    if (iat != null && iat > nowEpochSeconds + skewSeconds) {
      throw new AuthenticationException("token issued in the future (iat)");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String) || ((String) sub).isEmpty()) {
      throw new AuthenticationException("token has no sub claim");
    }
    Object username = claims.getValue(usernameClaim);
    if (!(username instanceof String) || ((String) username).isEmpty()) {
      throw new AuthenticationException("token has no " + usernameClaim + " claim");
    }
    return new CallerIdentity((String) sub, (String) username, groups(claims.getValue(groupsClaim)), issuer);
  }

  private boolean audienceMatches(Object aud) {
    if (aud instanceof String) {
      return audience.equals(aud);
    }
    if (aud instanceof JsonArray) {
      return ((JsonArray) aud).contains(audience);
    }
    return false;
  }

  private static Long seconds(JsonObject claims, String name) throws AuthenticationException {
    Object v = claims.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    throw new AuthenticationException("token claim " + name + " is not a number");
  }

  private static List<String> groups(Object value) throws AuthenticationException {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String) {
      return List.of((String) value);
    }
    if (value instanceof JsonArray) {
      List<String> out = new ArrayList<>();
      for (Object g : (JsonArray) value) {
        if (!(g instanceof String)) {
          throw new AuthenticationException("token groups claim must hold strings");
        }
        out.add((String) g);
      }
      return out;
    }
    throw new AuthenticationException("token groups claim must be a string or a list of strings");
  }
}

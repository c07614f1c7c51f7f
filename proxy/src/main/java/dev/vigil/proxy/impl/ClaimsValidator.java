package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;

import dev.vigil.common.KubeNames;
import dev.vigil.proxy.OidcIssuerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks the claims of a token whose signature was already verified: {@code iss} is the issuer, {@code aud}
 * contains the audience, {@code exp} is present and not passed, {@code nbf} and {@code iat} are not in the future
 * (each with the configured clock skew), {@code sub} is present. Then maps the caller's Kubernetes identity as
 * kube-apiserver does: username = prefix + the username claim (with claim {@code email}, {@code email_verified} must
 * be true when present), groups = prefix + each value of the groups claim (a string or a list of strings).
 *
 * <p>Mapped names starting with {@code system:} are refused: Kubernetes reserves them for its own identities
 * (an issuer must never be able to assert {@code system:masters} through impersonation). Names with control
 * characters are refused too: they cannot travel in an {@code Impersonate-*} header.
 */
final class ClaimsValidator {

  private final String issuer;
  private final String audience;
  private final String usernameClaim;
  private final String usernamePrefix;
  private final String groupsClaim;
  private final String groupsPrefix;
  private final long skewSeconds;

  ClaimsValidator(String issuer, String audience, String usernameClaim, String usernamePrefix, String groupsClaim,
      String groupsPrefix, long skewSeconds) {
    this.issuer = issuer;
    this.audience = audience;
    this.usernameClaim = usernameClaim;
    this.usernamePrefix = usernamePrefix;
    this.groupsClaim = groupsClaim;
    this.groupsPrefix = groupsPrefix;
    this.skewSeconds = skewSeconds;
  }

  /** For an issuer whose discovered identifier is {@code issuer}. */
  ClaimsValidator(String issuer, OidcIssuerConfig config, long skewSeconds) {
    this(issuer, config.audience(), config.usernameClaim(), config.usernamePrefix(), config.groupsClaim(),
        config.groupsPrefix(), skewSeconds);
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
    return new CallerIdentity((String) sub, username(claims), groups(claims.getValue(groupsClaim)), issuer);
  }

  private String username(JsonObject claims) throws AuthenticationException {
    Object value = claims.getValue(usernameClaim);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw new AuthenticationException("token has no " + usernameClaim + " claim");
    }
    if (KubeNames.unverifiedEmail(usernameClaim, claims.getMap())) {
      throw new AuthenticationException("token email is not verified (email_verified)");
    }
    return mapped(usernamePrefix + value, "username");
  }

  private List<String> groups(Object value) throws AuthenticationException {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String) {
      return List.of(mapped(groupsPrefix + value, "group"));
    }
    if (value instanceof JsonArray) {
      List<String> out = new ArrayList<>();
      for (Object g : (JsonArray) value) {
        if (!(g instanceof String)) {
          throw new AuthenticationException("token groups claim must hold strings");
        }
        out.add(mapped(groupsPrefix + g, "group"));
      }
      return out;
    }
    throw new AuthenticationException("token groups claim must be a string or a list of strings");
  }

  private static String mapped(String name, String what) throws AuthenticationException {
    // padded names are refused outright rather than trimmed, so the record and the cluster agree
    KubeNames.Refusal refusal = KubeNames.refusal(name);
    if (refusal == null) {
      return name;
    }
    throw new AuthenticationException(switch (refusal) {
      case EMPTY_OR_PADDED -> "token maps to an empty or whitespace-padded " + what;
      case RESERVED -> "token maps to a reserved " + what + " (system:*)";
      case CONTROL_CHARACTERS -> "token " + what + " contains control characters";
    });
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
}

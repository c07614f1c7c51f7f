package dev.vigil.common;

import java.util.Map;

/**
 * The rules a caller's token-mapped Kubernetes name must pass, in one place for the two services that apply them:
 * the gateway refuses such a token before it impersonates anyone, and the query API refuses exactly the names the
 * gateway never records as a caller (so no token can read the events of an identity it could not have produced).
 */
public final class KubeNames {

  /** Kubernetes reserves {@code system:} names for its own identities. */
  public static final String RESERVED_PREFIX = "system:";

  /** Why a mapped name is refused. */
  public enum Refusal {
    /** Empty, or padded: Go's header reader trims SP/HTAB, so {@code " system:masters"} would arrive upstream trimmed. */
    EMPTY_OR_PADDED,
    /** Starts with {@code system:} (any case). */
    RESERVED,
    /** Holds a control character: it cannot travel in an {@code Impersonate-*} header. */
    CONTROL_CHARACTERS
  }

  private KubeNames() {
  }

  /** Why {@code name} (prefix + claim value) is refused, or null when it is acceptable. */
  public static Refusal refusal(String name) {
    if (name.isEmpty() || name.strip().length() != name.length()) {
      return Refusal.EMPTY_OR_PADDED;
    }
    if (name.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
      return Refusal.RESERVED;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Refusal.CONTROL_CHARACTERS;
      }
    }
    return null;
  }

  /**
   * True when the username is taken from the {@code email} claim and the token carries {@code email_verified} with
   * any value but {@code true} (kube-apiserver's rule).
   */
  public static boolean unverifiedEmail(String usernameClaim, Map<String, Object> claims) {
    return "email".equals(usernameClaim) && claims.containsKey("email_verified")
        && !Boolean.TRUE.equals(claims.get("email_verified"));
  }
}

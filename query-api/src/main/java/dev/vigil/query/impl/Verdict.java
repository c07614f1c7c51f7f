package dev.vigil.query.impl;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

import dev.vigil.query.SigningKeys;
import dev.vigil.schema.chain.SessionVerifier;

/** The verification answer (contract: verified, eventCount, headDigest, computedHead, signatureValid, firstDivergent*, reason). */
final class Verdict {

  private Verdict() {}

  static JsonObject of(JsonObject session, ChainCheck check, SigningKeys keys) {
    String sessionId = session.getString("id");
    long eventCount = session.getLong("eventCount", 0L);
    String headDigest = session.getString("headDigest");
    String signature = session.getString("signature");
    String keyId = session.getString("signingKeyId");
    boolean closed = "CLOSED".equals(session.getString("status"));
    List<String> problems = new ArrayList<>();
    if (check.divergence() != null) {
      problems.add(check.divergence());
    }
    boolean headMatches = headDigest != null && check.computedHead().equalsIgnoreCase(headDigest);
    if (!headMatches) {
      problems.add("the events chain to " + check.computedHead() + " but the session's headDigest is " + headDigest);
    }
    Boolean signatureValid = null;
    if (signature != null) {
      PublicKey key = keys.get(keyId);
      if (key == null) {
        problems.add("no public key is configured for signingKeyId " + keyId + " (vigil.query.signing.public-keys."
            + keyId + ")");
      } else {
        signatureValid = headDigest != null
            && SessionVerifier.verifySignature(sessionId, eventCount, headDigest, signature, key);
        if (!signatureValid) {
          problems.add("the signature does not verify with the public key " + keyId);
        }
      }
    } else if (closed) {
      problems.add("the session is CLOSED but not signed");
    }
    boolean verified = problems.isEmpty();
    String reason;
    if (verified) {
      reason = signatureValid != null
          ? "the " + eventCount + " events chain to the signed head digest; signature valid (key " + keyId + ")"
          : "the " + eventCount + " events chain to the head digest; the session is OPEN, so not signed yet";
    } else {
      reason = String.join("; ", problems);
    }
    return new JsonObject()
        .put("verified", verified)
        .put("eventCount", eventCount)
        .put("headDigest", headDigest)
        .put("computedHead", check.computedHead())
        .put("signatureValid", signatureValid)
        .put("firstDivergentIndex", check.firstDivergentIndex())
        .put("firstDivergentEventId", check.firstDivergentEventId())
        .put("reason", reason);
  }

  /** A session longer than the verification limit is not verified. */
  static JsonObject tooLong(JsonObject session, int cap) {
    return new JsonObject()
        .put("verified", false)
        .put("eventCount", session.getLong("eventCount", 0L))
        .put("headDigest", session.getString("headDigest"))
        .putNull("computedHead")
        .putNull("signatureValid")
        .putNull("firstDivergentIndex")
        .putNull("firstDivergentEventId")
        .put("reason", "the session has more events than vigil.query.limits.verify-events = " + cap
            + "; raise the limit to verify it");
  }
}

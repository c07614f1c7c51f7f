package dev.vigil.schema.chain;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.vigil.schema.SessionStatus;
import dev.vigil.schema.SessionSummary;

/**
 * Checks a {@link SessionSummary} against the session's raw event values (the exact Kafka record values, in the
 * order of the session key's partition, each event id once): the event count, the recomputed head digest and — for
 * a {@code CLOSED} summary — the Ed25519 signature over {@link HashChain#signedMessage}.
 */
public final class SessionVerifier {

  /**
   * The outcome.
   *
   * @param countMatches {@code values.size() == eventCount}
   * @param headMatches the recomputed head equals {@code headDigest}
   * @param signed the summary carries a signature (closed sessions do)
   * @param signatureValid the signature verifies with the key (false when unsigned)
   * @param recomputedHead hex of the head recomputed from the values
   * @param problems what does not match, in words (empty when valid)
   */
  public record Result(boolean countMatches, boolean headMatches, boolean signed, boolean signatureValid,
      String recomputedHead, List<String> problems) {

    public Result {
      problems = List.copyOf(problems);
    }

    /** Count and head match and, if signed or closed, the signature verifies. */
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private SessionVerifier() {}

  /** Verifies {@code summary} against {@code values} with the signer's public key. */
  public static Result verify(SessionSummary summary, List<byte[]> values, PublicKey key) {
    List<String> problems = new ArrayList<>();
    String head = HashChain.hex(HashChain.head(summary.getSessionId(), values));
    boolean countMatches = values.size() == summary.getEventCount();
    if (!countMatches) {
      problems.add("eventCount is " + summary.getEventCount() + " but " + values.size() + " values were given");
    }
    boolean headMatches = head.equalsIgnoreCase(summary.getHeadDigest());
    if (!headMatches) {
      problems.add("headDigest is " + summary.getHeadDigest() + " but the values chain to " + head);
    }
    boolean signed = summary.getSignature() != null;
    boolean signatureValid = signed && verifySignature(summary.getSessionId(), summary.getEventCount(),
        summary.getHeadDigest(), summary.getSignature(), key);
    if (signed && !signatureValid) {
      problems.add("the signature does not verify with the given key (signingKeyId " + summary.getSigningKeyId() + ")");
    } else if (!signed && summary.getStatus() == SessionStatus.CLOSED) {
      problems.add("the session is CLOSED but not signed");
    }
    return new Result(countMatches, headMatches, signed, signatureValid, head, problems);
  }

  /** Whether {@code signatureBase64} is a valid Ed25519 signature of the digest message by {@code key}. */
  public static boolean verifySignature(String sessionId, long eventCount, String headDigest, String signatureBase64,
      PublicKey key) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return false; // not base64: not a valid signature (the caller learns it from the result)
    }
    try {
      Signature s = Signature.getInstance(Ed25519Keys.ALGORITHM);
      s.initVerify(key);
      s.update(HashChain.signedMessage(sessionId, eventCount, headDigest));
      return s.verify(sig);
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes: simply not valid
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
    }
  }
}

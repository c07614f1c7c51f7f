package dev.vigil.schema.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A session's hash chain, exactly as stream-processors/README.md defines it (any SHA-256 tool can recompute it):
 *
 * <ul>
 *   <li>{@code h_0 = SHA-256(UTF-8("vigil-session-chain-v1\n" + sessionId))}</li>
 *   <li>{@code h_n = SHA-256(h_(n-1) ‖ v_n)}: the 32 raw bytes of the previous head, then the exact Kafka record
 *       value of event n (Avro single-object encoding), duplicates skipped</li>
 *   <li>{@code headDigest} = lower-case hex of {@code h_n}; the signed message is
 *       {@code UTF-8("vigil-session-digest-v1\n" + sessionId + "\n" + eventCount + "\n" + headDigest + "\n")}</li>
 * </ul>
 */
public final class HashChain {

  public static final String CHAIN_PREFIX = "vigil-session-chain-v1\n";
  public static final String DIGEST_PREFIX = "vigil-session-digest-v1\n";
  public static final int DIGEST_BYTES = 32;

  private static final HexFormat HEX = HexFormat.of();

  private HashChain() {}

  /** {@code h_0} of {@code sessionId}. */
  public static byte[] genesis(String sessionId) {
    MessageDigest md = sha256();
    md.update((CHAIN_PREFIX + Objects.requireNonNull(sessionId)).getBytes(StandardCharsets.UTF_8));
    return md.digest();
  }

  /** {@code h_n} from {@code h_(n-1)} and the record value of event n. */
  public static byte[] next(byte[] head, byte[] value) {
    if (head.length != DIGEST_BYTES) {
      throw new IllegalArgumentException("a chain head has " + DIGEST_BYTES + " bytes, got " + head.length);
    }
    MessageDigest md = sha256();
    md.update(head);
    md.update(value);
    return md.digest();
  }

  /** The heads {@code h_1..h_n} after each of {@code values} (empty for no value). */
  public static List<byte[]> heads(String sessionId, List<byte[]> values) {
    List<byte[]> out = new ArrayList<>(values.size());
    byte[] h = genesis(sessionId);
    for (byte[] v : values) {
      h = next(h, v);
      out.add(h);
    }
    return out;
  }

  /** {@code h_n} over all of {@code values} ({@code h_0} for none). */
  public static byte[] head(String sessionId, List<byte[]> values) {
    byte[] h = genesis(sessionId);
    for (byte[] v : values) {
      h = next(h, v);
    }
    return h;
  }

  /** Lower-case hex, as in {@code SessionSummary.headDigest}. */
  public static String hex(byte[] digest) {
    return HEX.formatHex(digest);
  }

  /** Parses a lower- or upper-case hex digest; IllegalArgumentException if it is not 32 bytes of hex. */
  public static byte[] parseHex(String hex) {
    byte[] b = HEX.parseHex(hex);
    if (b.length != DIGEST_BYTES) {
      throw new IllegalArgumentException("a head digest has " + DIGEST_BYTES + " bytes, got " + b.length);
    }
    return b;
  }

  /** The message an Ed25519 signature of a closed session covers. */
  public static byte[] signedMessage(String sessionId, long eventCount, String headDigest) {
    return (DIGEST_PREFIX + sessionId + "\n" + eventCount + "\n" + headDigest + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code values} chain to {@code headDigest} (hex, any case) for {@code sessionId}. */
  public static boolean verify(String sessionId, List<byte[]> values, String headDigest) {
    return hex(head(sessionId, values)).equalsIgnoreCase(headDigest);
  }

  /**
   * Recomputes the chain over {@code values} and compares it, head by head, with {@code expectedHeads} (hex of
   * {@code h_1..h_n} from a trusted copy). Returns the 0-based index of the first value whose head differs — event
   * {@code index + 1} was modified, moved, inserted or removed there — or -1 when both chains are identical. When one
   * list is a prefix of the other, the index is the length of the shorter one.
   */
  public static int firstDivergentIndex(String sessionId, List<byte[]> values, List<String> expectedHeads) {
    byte[] h = genesis(sessionId);
    int n = Math.min(values.size(), expectedHeads.size());
    for (int i = 0; i < n; i++) {
      h = next(h, values.get(i));
      if (!hex(h).equalsIgnoreCase(expectedHeads.get(i))) {
        return i;
      }
    }
    return values.size() == expectedHeads.size() ? -1 : n;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}

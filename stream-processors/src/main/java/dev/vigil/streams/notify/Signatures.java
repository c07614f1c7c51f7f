package dev.vigil.streams.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature, Stripe-style: {@code X-Vigil-Signature: v1=<hex HMAC-SHA256(key, "<timestamp>.<body>")>} with
 * {@code X-Vigil-Timestamp} the unix time in seconds of the attempt (each retry is signed afresh). Covering the
 * timestamp lets a receiver refuse replays: recompute over the exact body bytes, compare in constant time, and reject
 * timestamps more than a few minutes away from its clock. {@link #verify} is that check, for Java receivers and tests.
 */
public final class Signatures {

  public static final String ALERT_ID_HEADER = "X-Vigil-Alert-Id";
  public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
  public static final String VERSION = "v1";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern SIGNATURE = Pattern.compile(VERSION + "=[0-9a-fA-F]{64}");

  private Signatures() {}

  /** {@code v1=<lower-case hex>} for {@code body} sent at {@code unixSeconds}. */
  public static String sign(byte[] key, long unixSeconds, byte[] body) {
    return VERSION + "=" + HexFormat.of().formatHex(mac(key, unixSeconds, body));
  }

  /**
   * Whether {@code signatureHeader} (one or more comma-separated {@code v1=<hex>}) holds a valid signature of
   * {@code body} at {@code timestampHeader}, and that timestamp is within {@code toleranceSeconds} of {@code nowSeconds}.
   */
  public static boolean verify(byte[] key, String timestampHeader, String signatureHeader, byte[] body, long nowSeconds,
      long toleranceSeconds) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
      return false;
    }
    byte[] expected = mac(key, ts, body);
    for (String part : signatureHeader.split(",")) {
      String p = part.strip();
      if (SIGNATURE.matcher(p).matches()
          && MessageDigest.isEqual(expected, HexFormat.of().parseHex(p.substring(VERSION.length() + 1)))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] mac(byte[] key, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}

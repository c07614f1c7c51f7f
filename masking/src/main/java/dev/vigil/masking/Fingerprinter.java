package dev.vigil.masking;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of sensitive values: HMAC-SHA256 under the gateway key, truncated to the first
 * {@value #FINGERPRINT_BYTES} bytes and written as {@value #FINGERPRINT_HEX_CHARS} lowercase hex characters.
 * The same value under the same key always gives the same fingerprint (so a secret seen on two channels can be
 * correlated); without the key a fingerprint cannot be brute-forced offline. Thread-safe. {@link #toString()} never
 * shows the key.
 */
public final class Fingerprinter {
    public static final int FINGERPRINT_BYTES = 16;
    public static final int FINGERPRINT_HEX_CHARS = FINGERPRINT_BYTES * 2;
    /** Shortest accepted key; 32 random bytes are recommended. */
    public static final int MIN_KEY_BYTES = 16;
    private static final String ALG = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Fingerprinter(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("fingerprint key must be at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), ALG);
        newMac(this.key); // fail fast
        this.macs = ThreadLocal.withInitial(() -> newMac(this.key));
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALG);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Fingerprint of raw bytes (e.g. a decoded Secret value). */
    public String fingerprint(byte[] value) {
        Mac mac = macs.get();
        mac.reset();
        byte[] full = mac.doFinal(value);
        return HexFormat.of().formatHex(full, 0, FINGERPRINT_BYTES);
    }

    /** Fingerprint of the UTF-8 bytes of a string. */
    public String fingerprint(String value) {
        return fingerprint(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Fingerprinter[HmacSHA256, key=***, " + FINGERPRINT_HEX_CHARS + " hex chars]";
    }
}

package dev.vigil.masking;

import java.util.regex.Pattern;

/** The replacement token {@code masked:<kind>:<fingerprint>} and its recognition (for idempotence). */
public final class MaskTokens {
    public static final String PREFIX = "masked:";
    /** A token as this library writes it. */
    public static final Pattern TOKEN = Pattern.compile(
            "masked:[a-z0-9][a-z0-9-]{0,40}:[0-9a-f]{" + Fingerprinter.FINGERPRINT_HEX_CHARS + "}");

    private MaskTokens() {
    }

    public static String token(String kind, String fingerprint) {
        return PREFIX + kind + ":" + fingerprint;
    }

    /** True when the whole string is one of our tokens. */
    public static boolean isToken(String s) {
        return s != null && s.startsWith(PREFIX) && TOKEN.matcher(s).matches();
    }
}

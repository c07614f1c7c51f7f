package dev.vigil.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
    @Test
    void sameValueSameFingerprintAndFormat() {
        String a = Fixtures.FP.fingerprint("s3cr3t");
        assertThat(a).isEqualTo(Fixtures.FP.fingerprint("s3cr3t".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Fingerprinter(Fixtures.KEY).fingerprint("s3cr3t"))
                .matches("[0-9a-f]{32}");
        assertThat(Fixtures.FP.fingerprint("s3cr3u")).isNotEqualTo(a);
    }

    @Test
    void differentKeyDifferentFingerprint() {
        Fingerprinter other = new Fingerprinter("another-gateway-key-32-bytes-xxx".getBytes(StandardCharsets.UTF_8));
        assertThat(other.fingerprint("s3cr3t")).isNotEqualTo(Fixtures.FP.fingerprint("s3cr3t"));
    }

    @Test
    void knownVector() {
        // HMAC-SHA256(key="0123456789abcdef0123456789abcdef", "abc"), first 16 bytes
        assertThat(Fixtures.FP.fingerprint("abc")).isEqualTo(hmacHex("abc").substring(0, 32));
    }

    @Test
    void toStringHidesKeyAndShortKeysRejected() {
        assertThat(Fixtures.FP.toString()).doesNotContain("0123456789abcdef").contains("***");
        assertThatThrownBy(() -> new Fingerprinter(new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fingerprinter(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIsCopied() {
        byte[] k = Fixtures.KEY.clone();
        Fingerprinter f = new Fingerprinter(k);
        java.util.Arrays.fill(k, (byte) 0);
        assertThat(f.fingerprint("x")).isEqualTo(Fixtures.FP.fingerprint("x"));
    }

    private static String hmacHex(String v) {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new javax.crypto.spec.SecretKeySpec(Fixtures.KEY, "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(m.doFinal(v.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.vigil.masking;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Fake but real-looking credentials, generated per run. */
final class Fixtures {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final Fingerprinter FP = new Fingerprinter(KEY);
    static final String RSA_PEM = rsaPem();
    static final String JWT = jwt();
    static final String AWS_KEY_ID = "AKIAZ7XQ3VJ4MN2P8RTW";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9Lk2Ab3D";
    static final String GITHUB = "ghp_" + "R4nd0mT0k3nV4lu3Abc123Def456Ghi789Jk";
    static final String GITHUB_PAT = "github_pat_11ABCDEFG0" + "aBcDeFgHiJkLmN_oPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234";
    static final String GITLAB = "glpat-" + "xY9zQ2wE5rT8uI1oP4aS";
    static final String SLACK = "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
    static final String PASSWORD = "Tr0ub4dor#3xQ9zLw";

    private Fixtures() {
    }

    private static String rsaPem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            byte[] der = g.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwt() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        String header = e.encodeToString("{\"alg\":\"RS256\",\"kid\":\"abc\"}".getBytes(StandardCharsets.UTF_8));
        String payload = e.encodeToString(("{\"iss\":\"https://kubernetes.default.svc\",\"sub\":"
                + "\"system:serviceaccount:default:builder\",\"exp\":1900000000}").getBytes(StandardCharsets.UTF_8));
        String sig = e.encodeToString("not-a-real-signature-but-32-byte".getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + sig;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}

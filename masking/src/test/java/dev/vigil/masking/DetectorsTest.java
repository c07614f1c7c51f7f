package dev.vigil.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DetectorsTest {
    static Stream<Arguments> positives() {
        String pemBody = Fixtures.RSA_PEM.split("\n")[1];
        String gcp = "{\"type\": \"service_account\", \"project_id\": \"demo\", \"private_key_id\": \"abc\", "
                + "\"private_key\": \"" + Fixtures.RSA_PEM.replace("\n", "\\n") + "\", \"client_email\": "
                + "\"builder@demo.iam.gserviceaccount.com\"}";
        return Stream.of(
                Arguments.of("pem in a log", "loaded key:\n" + Fixtures.RSA_PEM + "done", Detectors.PEM_PRIVATE_KEY, pemBody),
                Arguments.of("pem rsa header", Fixtures.RSA_PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
                        Detectors.PEM_PRIVATE_KEY, pemBody),
                Arguments.of("pem openssh", Fixtures.RSA_PEM.replace("PRIVATE KEY", "OPENSSH PRIVATE KEY"),
                        Detectors.PEM_PRIVATE_KEY, pemBody),
                Arguments.of("pem truncated (no END)", "key: " + Fixtures.RSA_PEM.substring(0, 200),
                        Detectors.PEM_PRIVATE_KEY, pemBody),
                Arguments.of("aws key id", "export AWS_ACCESS_KEY_ID=" + Fixtures.AWS_KEY_ID, Detectors.AWS_ACCESS_KEY,
                        Fixtures.AWS_KEY_ID),
                Arguments.of("aws sts key id", "id ASIAQWERTYUIOPASDFGH used", Detectors.AWS_ACCESS_KEY,
                        "ASIAQWERTYUIOPASDFGH"),
                Arguments.of("aws secret", "[default]\naws_secret_access_key = " + Fixtures.AWS_SECRET + "\n",
                        Detectors.AWS_SECRET_KEY, Fixtures.AWS_SECRET),
                Arguments.of("gcp service account", gcp, Detectors.GCP_SERVICE_ACCOUNT, pemBody),
                Arguments.of("github classic", "token " + Fixtures.GITHUB + " ok", Detectors.GITHUB_TOKEN, Fixtures.GITHUB),
                Arguments.of("github oauth", "gho_" + Fixtures.GITHUB.substring(4), Detectors.GITHUB_TOKEN,
                        Fixtures.GITHUB.substring(4)),
                Arguments.of("github fine-grained", "GH=" + Fixtures.GITHUB_PAT, Detectors.GITHUB_TOKEN, Fixtures.GITHUB_PAT),
                Arguments.of("gitlab", "remote https://oauth2:" + Fixtures.GITLAB + "@gitlab.com/x.git",
                        Detectors.GITLAB_TOKEN, Fixtures.GITLAB),
                Arguments.of("slack", "SLACK=" + Fixtures.SLACK, Detectors.SLACK_TOKEN, Fixtures.SLACK),
                Arguments.of("jwt", "Authorization header was " + Fixtures.JWT + " (kept)", Detectors.JWT, Fixtures.JWT),
                Arguments.of("bearer", "curl -H 'Authorization: Bearer q8Zr3kLm0PxV7wTn2YbHs5Dc' x",
                        Detectors.BEARER_TOKEN, "q8Zr3kLm0PxV7wTn2YbHs5Dc"),
                Arguments.of("password=", "mysql -u root password=" + Fixtures.PASSWORD, Detectors.GENERIC_SECRET,
                        Fixtures.PASSWORD),
                Arguments.of("DB_PASSWORD=", "DB_PASSWORD=" + Fixtures.PASSWORD + "\n", Detectors.GENERIC_SECRET,
                        Fixtures.PASSWORD),
                Arguments.of("token: yaml", "auth:\n  token: 9fKq2LmZ7xRt4VbN\n", Detectors.GENERIC_SECRET, "9fKq2LmZ7xRt4VbN"),
                Arguments.of("secret: quoted", "secret: \"Zx81!pQw_Lm3nB\"", Detectors.GENERIC_SECRET, "Zx81!pQw_Lm3nB"),
                Arguments.of("api_key=", "url?api_key=a7F3kL9qP2xZ8wR1&x=1", Detectors.GENERIC_SECRET, "a7F3kL9qP2xZ8wR1"),
                Arguments.of("json password", "{\"password\":\"" + Fixtures.PASSWORD + "\"}", Detectors.GENERIC_SECRET,
                        Fixtures.PASSWORD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positives")
    void detects(String name, String text, String kind, String plaintext) {
        Detectors.Masked m = Detectors.mask(text, "", Fixtures.FP);
        assertThat(m.findings()).extracting(Finding::kind).containsExactly(kind);
        assertThat(m.text()).doesNotContain(plaintext).contains("masked:" + kind + ":" + m.findings().get(0).fingerprint());
        // idempotent
        Detectors.Masked again = Detectors.mask(m.text(), "", Fixtures.FP);
        assertThat(again.findings()).isEmpty();
        assertThat(again.text()).isEqualTo(m.text());
        // deterministic
        assertThat(Detectors.mask(text, "", Fixtures.FP).findings()).isEqualTo(m.findings());
    }

    static Stream<Arguments> negatives() {
        return Stream.of(
                Arguments.of("image digest", "image: nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac"),
                Arguments.of("base64 digest", "digest: sha512-ZnNkZ2hqa2xxd2VydHl1aW9wenhjdmJubUFLSUE0NTY3ODkw"),
                Arguments.of("uuid", "uid: 8a3c5f1e-2b4d-4e6f-9a1b-3c5d7e9f0a2b"),
                Arguments.of("secretName", "volumes: [{secretName: my-app-tls-certificate}]"),
                Arguments.of("password low entropy", "password=aaaaaaaaaaaa"),
                Arguments.of("password short", "password=Ab1!"),
                Arguments.of("password placeholder", "password=${DB_PASSWORD_FROM_ENV}"),
                Arguments.of("token words", "the token is refreshed every hour"),
                Arguments.of("public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"),
                Arguments.of("certificate", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----"),
                Arguments.of("not a jwt header", "eyJub3RoaW5nIjoxfQ.eyJzdWIiOiJ4In0.c2ln"),
                Arguments.of("dotted name", "kube-system.coredns.svc.cluster.local"),
                Arguments.of("akia inside base64", "ZmFrZUFLSUFaN1hRM1ZKNE1OMlA4UlRXcXE="),
                Arguments.of("short gh", "ghp_short"),
                Arguments.of("kubectl log line", "I1128 14:03:22.123456 1 controller.go:116] Observed a panic: runtime error"),
                Arguments.of("pod yaml", "volumes:\n- name: tls\n  secret:\n    secretName: web-tls-certificate\n"
                        + "- name: token\n  projected:\n    sources:\n    - serviceAccountToken:\n        path: token\n"),
                Arguments.of("PWD", "PWD=/home/runner/work/project-x9\nHOME=/root"),
                Arguments.of("our token", "value masked:k8s-secret:0123456789abcdef0123456789abcdef here"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negatives")
    void noFalsePositive(String name, String text) {
        Detectors.Masked m = Detectors.mask(text, "", Fixtures.FP);
        assertThat(m.findings()).isEmpty();
        assertThat(m.text()).isEqualTo(text);
    }

    @Test
    void severalFindingsInOneTextWithOffsets() {
        String text = "a=" + Fixtures.AWS_KEY_ID + " b=" + Fixtures.GITHUB + " c=" + Fixtures.JWT;
        Detectors.Masked m = Detectors.mask(text, "logs", Fixtures.FP);
        assertThat(m.findings()).extracting(Finding::kind)
                .containsExactly(Detectors.AWS_ACCESS_KEY, Detectors.GITHUB_TOKEN, Detectors.JWT);
        assertThat(m.findings().get(0).location()).isEqualTo("logs@2");
        assertThat(m.text()).doesNotContain(Fixtures.AWS_KEY_ID).doesNotContain(Fixtures.GITHUB).doesNotContain(Fixtures.JWT);
    }

    @Test
    void pemFingerprintIgnoresLayout() {
        Detectors.Masked plain = Detectors.mask(Fixtures.RSA_PEM, "", Fixtures.FP);
        Detectors.Masked escaped = Detectors.mask(Fixtures.RSA_PEM.replace("\n", "\\n"), "", Fixtures.FP);
        assertThat(plain.findings().get(0).fingerprint()).isEqualTo(escaped.findings().get(0).fingerprint());
    }

    @Test
    void entropy() {
        assertThat(Detectors.shannonEntropy("aaaa")).isZero();
        assertThat(Detectors.shannonEntropy("abcd")).isEqualTo(2.0);
        assertThat(Detectors.isSecretFieldName("DB_PASSWORD")).isTrue();
        assertThat(Detectors.isSecretFieldName("clientSecret")).isTrue();
        assertThat(Detectors.isSecretFieldName("secretName")).isFalse();
    }

    @Test
    void largeInputIsLinear() {
        String big = "A".repeat(2_000_000) + " password=" + "x".repeat(100_000);
        long t0 = System.nanoTime();
        Detectors.mask(big, "", Fixtures.FP);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }
}

package dev.vigil.masking;

import static dev.vigil.masking.Fixtures.b64;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretMaskerTest {
    static final String PW = Fixtures.PASSWORD;
    static final String SECRET = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"prod\"},"
            + "\"type\":\"Opaque\",\"data\":{\"password\":\"" + b64(PW) + "\",\"tls.key\":\"" + b64(Fixtures.RSA_PEM) + "\"}}";
    static final String ITEM_NO_KIND = "{\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"" + b64(PW) + "\"}}";

    static Stream<Arguments> bodies() {
        return Stream.of(
                // name, body, targetIsSecret, expected locations
                Arguments.of("single secret", SECRET, false, List.of("data.password", "data.tls.key")),
                Arguments.of("SecretList", "{\"apiVersion\":\"v1\",\"kind\":\"SecretList\",\"items\":[" + ITEM_NO_KIND + ","
                        + ITEM_NO_KIND + "]}", false, List.of("items[0].data.password", "items[1].data.password")),
                Arguments.of("List of mixed", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"kind\":\"ConfigMap\","
                        + "\"data\":{\"a\":\"b\"}}," + SECRET + "]}", false, List.of("items[1].data.password", "items[1].data.tls.key")),
                Arguments.of("watch event", "{\"type\":\"ADDED\",\"object\":" + SECRET + "}", false,
                        List.of("object.data.password", "object.data.tls.key")),
                Arguments.of("watch event, object without kind", "{\"type\":\"MODIFIED\",\"object\":" + ITEM_NO_KIND + "}", true,
                        List.of("object.data.password")),
                Arguments.of("watch stream array", "[{\"type\":\"ADDED\",\"object\":" + SECRET + "},{\"type\":\"DELETED\","
                        + "\"object\":" + SECRET + "}]", false, List.of("[0].object.data.password", "[0].object.data.tls.key",
                        "[1].object.data.password", "[1].object.data.tls.key")),
                Arguments.of("table includeObject", "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"columnDefinitions\":"
                        + "[{\"name\":\"Name\",\"type\":\"string\"}],\"rows\":[{\"cells\":[\"db\",\"Opaque\",2,\"5d\"],\"object\":"
                        + SECRET + "}]}", false, List.of("rows[0].object.data.password", "rows[0].object.data.tls.key")),
                Arguments.of("table row object without kind", "{\"kind\":\"Table\",\"rows\":[{\"cells\":[\"db\"],\"object\":"
                        + ITEM_NO_KIND + "}]}", true, List.of("rows[0].object.data.password")),
                Arguments.of("merge patch", "{\"data\":{\"password\":\"" + b64(PW) + "\"},\"stringData\":{\"extra\":\"" + PW + "\"}}",
                        true, List.of("data.password", "stringData.extra")),
                Arguments.of("strategic merge patch with metadata", "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"stringData\":"
                        + "{\"password\":\"" + PW + "\"}}", true, List.of("stringData.password")),
                Arguments.of("json patch", "[{\"op\":\"add\",\"path\":\"/data/password\",\"value\":\"" + b64(PW) + "\"},"
                        + "{\"op\":\"replace\",\"path\":\"/stringData/x\",\"value\":\"" + PW + "\"},"
                        + "{\"op\":\"test\",\"path\":\"/data/t\",\"value\":\"" + b64(PW) + "\"},"
                        + "{\"op\":\"remove\",\"path\":\"/data/old\"},"
                        + "{\"op\":\"replace\",\"path\":\"/data\",\"value\":{\"k\":\"" + b64(PW) + "\"}}]", true,
                        List.of("[0]/data/password", "[1]/stringData/x", "[2]/data/t", "[4]/data.k")),
                Arguments.of("last-applied annotation", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\","
                        + "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":" + quote(SECRET) + "}},"
                        + "\"data\":{\"password\":\"" + b64(PW) + "\"}}", false, List.of("data.password",
                        "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration/data.password",
                        "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration/data.tls.key")));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void masksSecretValues(String name, String body, boolean targetIsSecret, List<String> locations) throws Exception {
        Masker masker = new Masker(Fixtures.FP);
        MaskResult r = masker.mask("application/json", body, targetIsSecret);
        assertThat(r.findings().stream().filter(f -> !f.location().contains("#line")).map(Finding::location))
                .containsExactlyInAnyOrderElementsOf(locations);
        assertNoPlaintext(r.text());
        assertThat(r.masked()).isTrue();
        assertThat(r.text()).contains("masked:k8s-secret:" + Fixtures.FP.fingerprint(PW));
        // idempotent and deterministic
        MaskResult again = masker.mask("application/json", r.text(), targetIsSecret);
        assertThat(again.text()).isEqualTo(r.text());
        assertThat(again.findings()).isEmpty();
        assertThat(masker.mask("application/json", body, targetIsSecret).findings()).isEqualTo(r.findings());
    }

    static void assertNoPlaintext(String out) {
        assertThat(out).doesNotContain(PW).doesNotContain(b64(PW)).doesNotContain(b64(Fixtures.RSA_PEM))
                .doesNotContain(Fixtures.RSA_PEM.split("\n")[1]).doesNotContain(Fixtures.RSA_PEM.replace("\n", "\\n"));
    }

    @Test
    void dataAndStringDataGiveTheSameFingerprintOfTheDecodedValue() {
        SecretMasker m = new SecretMasker(Fixtures.FP);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var a = m.maskKubernetes(tree(json, "{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(PW) + "\"}}"), false);
        var b = m.maskKubernetes(tree(json, "{\"kind\":\"Secret\",\"stringData\":{\"p\":\"" + PW + "\"}}"), false);
        assertThat(a.findings().get(0).fingerprint()).isEqualTo(b.findings().get(0).fingerprint())
                .isEqualTo(Fixtures.FP.fingerprint(PW));
    }

    @Test
    void multiLineValuesGetOneFindingPerLine() {
        String value = "line-one\r\nline-two\n\nline-four\n";
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var r = new SecretMasker(Fixtures.FP).maskKubernetes(
                tree(json, "{\"kind\":\"Secret\",\"data\":{\"tls.key\":\"" + b64(value) + "\"}}"), false);
        assertThat(r.findings()).containsExactly(
                new Finding("k8s-secret", "data.tls.key", Fixtures.FP.fingerprint(value)),
                new Finding("k8s-secret", "data.tls.key#line1", Fixtures.FP.fingerprint("line-one")),
                new Finding("k8s-secret", "data.tls.key#line2", Fixtures.FP.fingerprint("line-two")),
                new Finding("k8s-secret", "data.tls.key#line4", Fixtures.FP.fingerprint("line-four")));
    }

    @Test
    void pemSecretLinesAreFingerprinted() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var r = new SecretMasker(Fixtures.FP).maskKubernetes(tree(json, SECRET), false);
        String line2 = Fixtures.RSA_PEM.split("\n")[1];
        assertThat(r.findings()).contains(new Finding("k8s-secret", "data.tls.key#line2", Fixtures.FP.fingerprint(line2)));
        assertThat(r.body().toString()).doesNotContain(b64(PW));
    }

    @Test
    void inputTreeIsNotModified() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var in = tree(json, SECRET);
        new SecretMasker(Fixtures.FP).maskKubernetes(in, false);
        assertThat(in.toString()).contains(b64(PW));
    }

    @Test
    void nonSecretsAreUntouchedUnlessTargeted() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var cm = tree(json, "{\"kind\":\"ConfigMap\",\"data\":{\"password\":\"plain\"}}");
        var r = new SecretMasker(Fixtures.FP).maskKubernetes(cm, false);
        assertThat(r.findings()).isEmpty();
        assertThat(r.body()).isEqualTo(cm);
        var patch = tree(json, "{\"data\":{\"k\":\"dg==\"}}");
        assertThat(new SecretMasker(Fixtures.FP).maskKubernetes(patch, false).findings()).isEmpty();
        assertThat(new SecretMasker(Fixtures.FP).maskKubernetes(patch, true).findings()).hasSize(1);
    }

    @Test
    void invalidBase64IsFingerprintedAsIs() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var r = new SecretMasker(Fixtures.FP).maskKubernetes(tree(json, "{\"kind\":\"Secret\",\"data\":{\"k\":\"not base64!\"}}"), false);
        assertThat(r.findings().get(0).fingerprint()).isEqualTo(Fixtures.FP.fingerprint("not base64!"));
        assertThat(r.body().toString()).doesNotContain("not base64!");
    }

    static com.fasterxml.jackson.databind.JsonNode tree(com.fasterxml.jackson.databind.ObjectMapper m, String s) {
        try {
            return m.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.vigil.masking;

import static dev.vigil.masking.Fixtures.b64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.codec.KubeContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaskerTest {
    static final Masker MASKER = new Masker(Fixtures.FP);

    static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4b9c8f6-x2x9z","namespace":"prod",
             "uid":"8a3c5f1e-2b4d-4e6f-9a1b-3c5d7e9f0a2b","resourceVersion":"123456",
             "labels":{"app":"web","pod-template-hash":"7d4b9c8f6"},
             "annotations":{"kubectl.kubernetes.io/restartedAt":"2024-05-01T10:00:00Z"}},
             "spec":{"serviceAccountName":"web","automountServiceAccountToken":true,
              "containers":[{"name":"web","image":"nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
               "env":[{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}},
                      {"name":"LOG_LEVEL","value":"info"},{"name":"TOKEN_TTL","value":"3600"}],
               "volumeMounts":[{"name":"kube-api-access-5xq2m","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true},
                               {"name":"tls","mountPath":"/etc/tls"}]}],
              "volumes":[{"name":"tls","secret":{"secretName":"web-tls","defaultMode":420}},
                {"name":"kube-api-access-5xq2m","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}]},
             "status":{"phase":"Running","podIP":"10.244.1.17","containerStatuses":[{"name":"web","ready":true,"restartCount":0,
              "imageID":"docker.io/library/nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac",
              "containerID":"containerd://0f9e3c1b7a5d4e2f8a6c3b1d9e7f5a3c1b9d7e5f3a1c9b7d5e3f1a9c7b5d3e1f"}]}}""";
    static final String CONFIGMAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app-config","namespace":"prod"},
             "data":{"LOG_LEVEL":"debug","token_ttl":"3600","password_policy":"min-length=12",
              "app.properties":"server.port=8080\\nspring.datasource.url=jdbc:postgresql://db:5432/app\\n",
              "ca-digest":"sha256:q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6","build":"Zm9vYmFyYmF6cXV4"}}""";

    static Stream<Arguments> clean() throws IOException {
        Stream<Arguments> fixed = Stream.of(Arguments.of("pod", POD), Arguments.of("configmap with normal values", CONFIGMAP));
        Stream<Arguments> kubectl = Stream.of("clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment",
                        "deployment-zero", "job", "namespace", "role", "rolebinding", "service", "serviceaccount")
                .map(n -> Arguments.of("kubectl " + n, resource("kubectl-1.32/" + n + ".json")));
        return Stream.concat(fixed, kubectl);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clean")
    void ordinaryKubectlJsonHasNoFindings(String name, String json) {
        MaskResult r = MASKER.mask("application/json", json, false);
        assertThat(r.findings()).isEmpty();
        assertThat(r.masked()).isFalse();
        assertThat(r.structured()).isTrue();
        assertThat(r.text()).doesNotContain("masked:");
    }

    static Stream<Arguments> dirty() {
        String gcpJson = "{\"type\":\"service_account\",\"project_id\":\"demo\",\"private_key\":" + quote(Fixtures.RSA_PEM)
                + ",\"client_email\":\"b@demo.iam.gserviceaccount.com\"}";
        return Stream.of(
                // name, kind, body, targetIsSecret, plaintext, expected finding kind
                Arguments.of("configmap with a pem", "application/json",
                        "{\"kind\":\"ConfigMap\",\"data\":{\"key.pem\":" + quote(Fixtures.RSA_PEM) + "}}", false,
                        Fixtures.RSA_PEM.split("\n")[1], "pem-private-key"),
                Arguments.of("configmap with a service-account file", "application/json",
                        "{\"kind\":\"ConfigMap\",\"data\":{\"sa.json\":" + quote(gcpJson) + "}}", false,
                        Fixtures.RSA_PEM.split("\n")[1], "gcp-service-account"),
                Arguments.of("service-account object (LLM body)", "application/json", gcpJson, false,
                        Fixtures.RSA_PEM.split("\n")[1], "gcp-service-account"),
                Arguments.of("pod env with an aws key", "application/json",
                        "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"env\":[{\"name\":\"AWS_ACCESS_KEY_ID\",\"value\":\""
                                + Fixtures.AWS_KEY_ID + "\"}]}]}}", false, Fixtures.AWS_KEY_ID, "aws-access-key"),
                Arguments.of("secret-named field", "application/json",
                        "{\"kind\":\"ConfigMap\",\"data\":{\"DB_PASSWORD\":\"" + Fixtures.PASSWORD + "\"}}", false,
                        Fixtures.PASSWORD, "generic-secret"),
                Arguments.of("token request status", "application/json",
                        "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"status\":{\"token\":\""
                                + Fixtures.JWT + "\"}}", false, Fixtures.JWT, "jwt"),
                Arguments.of("log text", "text/plain", "2024-05-01 boot ok\nusing " + Fixtures.GITHUB + "\n", false,
                        Fixtures.GITHUB, "github-token"),
                Arguments.of("yaml secret (apply)", "application/apply-patch+yaml",
                        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: " + Fixtures.PASSWORD + "\n",
                        true, Fixtures.PASSWORD, "k8s-secret"),
                Arguments.of("watch stream, one event per line", "application/json;stream=watch",
                        "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(Fixtures.PASSWORD) + "\"}}}\n"
                                + "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(Fixtures.PASSWORD)
                                + "\"}}}\n", false, b64(Fixtures.PASSWORD), "k8s-secret"),
                Arguments.of("broken secret json is withheld", "application/json",
                        "{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(Fixtures.PASSWORD) + "\"", false,
                        b64(Fixtures.PASSWORD), "k8s-secret-body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dirty")
    void masks(String name, String kind, String body, boolean targetIsSecret, String plaintext, String findingKind) {
        MaskResult r = MASKER.mask(kind, body, targetIsSecret);
        assertThat(r.text()).doesNotContain(plaintext);
        assertThat(r.findings()).isNotEmpty().allMatch(f -> f.kind().equals(findingKind));
        assertThat(r.masked()).isTrue();
        MaskResult again = MASKER.mask(kind, r.text(), targetIsSecret);
        assertThat(again.text()).isEqualTo(r.text());
        assertThat(again.findings()).isEmpty();
        assertThat(MASKER.mask(kind, body, targetIsSecret).findings()).isEqualTo(r.findings());
    }

    @Test
    void watchStreamLinesKeepTheirShapeAndSameValueSameFingerprint() {
        String ev = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64("v") + "\"}}}";
        MaskResult r = MASKER.mask("application/json;stream=watch", ev + "\n" + ev, false);
        assertThat(r.text().split("\n")).hasSize(2);
        assertThat(r.findings()).extracting(Finding::location).containsExactly("[0].object.data.p", "[1].object.data.p");
        assertThat(r.findings().get(0).fingerprint()).isEqualTo(r.findings().get(1).fingerprint());
    }

    @Test
    void kubectlSecretAsJsonAndAsProtobuf() throws IOException {
        String json = resource("kubectl-1.32/secret.json");
        MaskResult a = MASKER.mask("application/json", json, true);
        byte[] pb;
        try (InputStream in = MaskerTest.class.getResourceAsStream("/kubectl-1.32/secret.pb")) {
            pb = in.readAllBytes();
        }
        String recordable = KubeContent.toRecordableText(KubeContent.PROTOBUF, pb);
        MaskResult b = MASKER.mask(KubeContent.PROTOBUF, recordable, true);
        for (MaskResult r : new MaskResult[] {a, b}) {
            assertThat(r.text()).doesNotContain("czNjcmV0").contains("masked:k8s-secret:" + Fixtures.FP.fingerprint("s3cret"));
            assertThat(r.findings()).containsExactly(new Finding("k8s-secret", "data.password", Fixtures.FP.fingerprint("s3cret")));
        }
    }

    @Test
    void sameSecretOnTwoChannelsSameFingerprint() {
        String pw = Fixtures.PASSWORD;
        MaskResult secret = MASKER.mask("application/json", "{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(pw) + "\"}}", false);
        MaskResult log = MASKER.mask("text/plain", "connecting with password=" + pw, false);
        assertThat(secret.findings().get(0).fingerprint()).isEqualTo(log.findings().get(0).fingerprint());
    }

    @Test
    void oversizeInputIsCutAndFlagged() {
        Masker small = new Masker(Fixtures.FP, 64);
        String text = "x".repeat(40) + " " + Fixtures.GITHUB + " tail";
        MaskResult r = small.mask("text/plain", text, false);
        assertThat(r.truncated()).isTrue();
        assertThat(r.text()).doesNotContain(Fixtures.GITHUB.substring(0, 20));
        assertThat(r.text().length()).isLessThanOrEqualTo(64);
        // a Secret cut in the middle cannot be parsed: withheld rather than leaked
        String secret = "{\"kind\":\"Secret\",\"data\":{\"p\":\"" + b64(Fixtures.PASSWORD) + "\"}}";
        MaskResult s = new Masker(Fixtures.FP, secret.length() - 3).mask("application/json", secret, false);
        assertThat(s.withheld()).isTrue();
        assertThat(s.text()).startsWith("masked:k8s-secret-body:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain words", "{not json", "[1,2", "null", "42", "\"str\""})
    void oddInputsNeverThrow(String text) {
        MaskResult r = MASKER.mask("application/json", text, false);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void yamlPodHasNoFindingsAndBecomesJson() {
        String pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n"
                + "    image: nginx:1.27\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n"
                + "          name: db\n          key: password\n  volumes:\n  - name: tls\n    secret:\n      secretName: web-tls\n";
        MaskResult r = MASKER.mask("application/yaml", pod, false);
        assertThat(r.findings()).isEmpty();
        assertThat(r.structured()).isTrue();
        assertThat(r.text()).startsWith("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"");
        MaskResult scalar = MASKER.mask("application/yaml", "just words", false);
        assertThat(scalar.text()).isEqualTo("just words");
        assertThat(scalar.structured()).isFalse();
    }

    @Test
    void compactReserialisation() {
        assertThat(MASKER.mask("application/json", "{ \"a\" : [ 1, 2.5, true, null ] }", false).text())
                .isEqualTo("{\"a\":[1,2.5,true,null]}");
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String resource(String name) {
        try (InputStream in = MaskerTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

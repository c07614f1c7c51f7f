package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.MaskResult;
import dev.vigil.masking.Masker;
import dev.vigil.schema.Finding;
import dev.vigil.schema.KubernetesRequestInfo;

/** The per-session store of Secret fingerprints: TTL, bounds, isolation, and what feeds it. */
class SecretFingerprintsTest {

  static final Fingerprinter FP = fingerprinter();
  static final String PASSWORD = "s3cr3t-p@ssw0rd";

  final AtomicLong clock = new AtomicLong(1_000);
  final SecretFingerprints store = new SecretFingerprints(FP, Duration.ofNanos(100), 3, 2, clock::get);

  static Fingerprinter fingerprinter() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 3);
    return new Fingerprinter(key);
  }

  /** An exchange of {@code sessionKey} on the Kubernetes channel (its request has Kubernetes attributes). */
  static Exchange kubernetes(String sessionKey) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = sessionKey;
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/namespaces/payments/secrets/payments-db", null, null, null,
        KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb("get").setApiGroup("").setApiVersion("v1")
            .setResource("secrets").setNamespace("payments").setName("payments-db").build());
    return ex;
  }

  /** What the recording's masking finds in a Secret holding {@code data}: the findings the gateway feeds. */
  static List<Finding> readSecret(String key, String value) {
    String json = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"s\"},\"data\":{\"" + key + "\":\""
        + Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}}";
    MaskResult r = new Masker(FP).mask("application/json", json, true);
    return BodyMasking.findings(r.findings());
  }

  @Test
  void shouldExpireAFingerprintTtlAfterItWasLastRead() {
    store.add("a", "f1");
    clock.addAndGet(99);
    assertThat(store.holds("a", "f1")).isTrue();

    store.add("a", "f1"); // read again: starts over
    clock.addAndGet(99);
    assertThat(store.holds("a", "f1")).isTrue();
    clock.addAndGet(1);
    assertThat(store.holds("a", "f1")).isFalse();
    assertThat(store.holdsAny("a")).isFalse();
    assertThat(store.sessions()).isZero();
  }

  @Test
  void shouldKeepAtMostMaxPerSessionDroppingTheOldestRead() {
    store.add("a", "f1");
    store.add("a", "f2");
    store.add("a", "f3");
    store.add("a", "f1"); // f1 is now the newest
    store.add("a", "f4");

    assertThat(store.fingerprints("a")).containsExactlyInAnyOrder("f3", "f1", "f4");
  }

  @Test
  void shouldKeepAtMostMaxSessionsDroppingTheLeastRecentlyUsed() {
    store.add("a", "f1");
    store.add("b", "f2");
    assertThat(store.holds("a", "f1")).isTrue(); // a used last
    store.add("c", "f3");

    assertThat(store.sessions()).isEqualTo(2);
    assertThat(store.holds("b", "f2")).isFalse();
    assertThat(store.holds("a", "f1")).isTrue();
    assertThat(store.holds("c", "f3")).isTrue();
  }

  @Test
  void shouldKeepEachSessionsReadsToItself() {
    store.fedBy(kubernetes("agent-1/task-1"), readSecret("password", PASSWORD));

    assertThat(store.holds("agent-1/task-1", FP.fingerprint(PASSWORD))).isTrue();
    assertThat(store.holdsAny("agent-1")).isFalse();
    assertThat(store.holdsAny("agent-2/task-1")).isFalse();
    assertThat(store.scan("agent-1", "the password is " + PASSWORD).found()).isFalse();
    assertThat(store.scan("agent-1/task-1", "the password is " + PASSWORD).fingerprints())
        .containsExactly(FP.fingerprint(PASSWORD));
  }

  @Test
  void shouldHoldEachLineOfAMultiLineValueAndFindASingleLine() {
    String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
        + "-----END PRIVATE KEY-----\n";
    SecretFingerprints store = new SecretFingerprints(FP, Duration.ofHours(1), 10, 10, clock::get);
    store.fedBy(kubernetes("a"), readSecret("tls.key", key));

    assertThat(store.fingerprints("a")).hasSize(5).contains(FP.fingerprint(key), FP.fingerprint("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        FP.fingerprint("BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"));
    SecretFingerprints.Scan scan = store.scan("a", "{\"messages\":[{\"role\":\"user\",\"content\":\"is this ok?\\n"
        + "    BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\\n\"}]}");
    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint("BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"));
    assertThat(scan.masked()).doesNotContain("BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj")
        .contains("masked:k8s-secret:" + FP.fingerprint("BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"));
  }

  @Test
  void shouldBeFedOnlySecretFindingsOfKubernetesCalls() {
    Exchange llm = kubernetes("a");
    llm.ref = EventFactory.ref(llm.requestId, "POST", "/llm/anthropic/v1/messages", null, null, null, null);
    store.fedBy(llm, readSecret("password", PASSWORD));
    store.fedBy(kubernetes("a"), List.of(new Finding("generic-secret", "@0", FP.fingerprint("x"))));

    assertThat(store.holdsAny("a")).isFalse();
  }

  @Test
  void shouldScanNothingForASessionThatReadNoSecret() {
    SecretFingerprints.Scan scan = store.scan("a", "the password is " + PASSWORD);

    assertThat(scan.found()).isFalse();
    assertThat(scan.complete()).isTrue();
    assertThat(scan.masked()).isEqualTo("the password is " + PASSWORD);
  }
}

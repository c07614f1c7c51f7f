package dev.vigil.proxy.impl;

import static dev.vigil.proxy.impl.SecretFingerprintsTest.FP;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.PASSWORD;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.kubernetes;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.readSecret;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Finding the Secret values a session read in an LLM request, and masking them, without false positives. */
class SecretScanTest {

  static final String TOKEN = "masked:k8s-secret:" + FP.fingerprint(PASSWORD);
  final SecretFingerprints store = new SecretFingerprints(FP, Duration.ofHours(1), 1000, 100, System::nanoTime);

  @BeforeEach
  void read() {
    store.fedBy(kubernetes("s"), readSecret("password", PASSWORD));
    store.fedBy(kubernetes("s"), readSecret("username", "payments"));
    store.fedBy(kubernetes("s"), readSecret("port", "54321"));
  }

  static String messages(String content) {
    return new JsonObject().put("model", "claude-sonnet-4")
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
            .put("content", content))).encode();
  }

  SecretFingerprints.Scan scan(String text) {
    return store.scan("s", text);
  }

  @Test
  void shouldFindAValueEmbeddedInASentence() {
    SecretFingerprints.Scan scan = scan(messages("Connect with user payments and password " + PASSWORD + ", thanks."));

    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint(PASSWORD));
    assertThat(scan.masked()).doesNotContain(PASSWORD).contains(TOKEN).contains("user payments");
    assertThat(new JsonObject(scan.masked()).getJsonArray("messages").getJsonObject(0).getString("content"))
        .isEqualTo("Connect with user payments and password " + TOKEN + ", thanks.");
  }

  @Test
  void shouldFindAValueInAToolResultHoldingJson() {
    String toolResult = new JsonObject().put("role", "user").put("content", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_01")
            .put("content", "{\"DB_USER\":\"payments\",\"DB_PASSWORD\":\"" + PASSWORD + "\"}"))).encode();
    String body = "{\"model\":\"m\",\"system\":\"You are an SRE agent.\",\"messages\":[" + toolResult + "]}";

    SecretFingerprints.Scan scan = scan(body);

    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint(PASSWORD));
    assertThat(scan.masked()).doesNotContain(PASSWORD).contains(TOKEN);
  }

  @Test
  void shouldFindValuesAfterKeysAndInsidePunctuation() {
    for (String text : new String[] {"DB_PASSWORD=" + PASSWORD + ";", "password: '" + PASSWORD + "'",
        "**" + PASSWORD + "**", "(" + PASSWORD + ")", "x:y:" + PASSWORD, "export P=\"" + PASSWORD + "\"",
        PASSWORD}) {
      SecretFingerprints.Scan scan = scan(messages(text));
      assertThat(scan.fingerprints()).as(text).containsExactly(FP.fingerprint(PASSWORD));
      assertThat(scan.masked()).as(text).doesNotContain(PASSWORD);
    }
  }

  @Test
  void shouldFindAMultiLineValueSplitAcrossLinesOfThePrompt() {
    String cert = "line-one-Xk29fjQ0\nline-two-Pq84mzL1\nline-three-Zt55wvR8";
    store.fedBy(kubernetes("s"), readSecret("config", cert));

    SecretFingerprints.Scan scan = scan(messages("here is the second half:\n  line-two-Pq84mzL1\r\nline-three-Zt55wvR8"
        + "\ndone"));

    assertThat(scan.fingerprints()).containsExactlyInAnyOrder(FP.fingerprint("line-two-Pq84mzL1"),
        FP.fingerprint("line-three-Zt55wvR8"));
    assertThat(scan.masked()).doesNotContain("line-two-Pq84mzL1").doesNotContain("line-three-Zt55wvR8");
    assertThat(scan(messages(cert)).fingerprints()).as("the whole value").contains(FP.fingerprint(cert));
  }

  @Test
  void shouldFindNothingInOtherValues() {
    SecretFingerprints.Scan scan = scan(messages("kubectl get pods -n payments; port 54321; s3cr3t-p@ssw0rd2 is not it,"
        + " nor s3cr3t-p@ssw0r, nor S3CR3T-P@SSW0RD, nor " + TOKEN + " nor " + UUID.randomUUID()));

    assertThat(scan.found()).as("short, letters-only and different values are not matched").isFalse();
    assertThat(scan.complete()).isTrue();
  }

  @Test
  void shouldFindAValueInABodyCutShortAndMaskItAsWritten() {
    String whole = messages("first line\nthe password is " + PASSWORD + "\nthird line that goes on and on");
    String cut = whole.substring(0, whole.length() - 20);

    SecretFingerprints.Scan scan = scan(cut);

    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint(PASSWORD));
    assertThat(scan.masked()).isEqualTo(cut.replace(PASSWORD, TOKEN));
  }

  @Test
  void shouldScanTheNewestTextFirstAndStopAtTheCap() {
    StringBuilder history = new StringBuilder();
    for (int i = 0; i < SecretFingerprints.MAX_CANDIDATES + 10; i++) {
      history.append(UUID.randomUUID()).append(' ');
    }
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"old: " + PASSWORD + "\"},{\"role\":\"user\","
        + "\"content\":\"" + history + "\"},{\"role\":\"user\",\"content\":\"new: " + PASSWORD + "\"}]}";

    SecretFingerprints.Scan scan = scan(body);

    assertThat(scan.complete()).isFalse();
    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint(PASSWORD));
    assertThat(scan.masked()).as("every occurrence of a value found is masked").doesNotContain(PASSWORD);
  }

  @Test
  void shouldFindAValueUsedAsAFieldName() {
    SecretFingerprints.Scan scan = scan("{\"input\":{\"" + PASSWORD + "\":1}}");

    assertThat(scan.fingerprints()).containsExactly(FP.fingerprint(PASSWORD));
    assertThat(new JsonObject(scan.masked()).getJsonObject("input").fieldNames()).containsExactly(TOKEN);
  }

  @Test
  void shouldKeepOnlyCandidatesThatCanBeSecrets() {
    assertThat(SecretCandidates.worthChecking(PASSWORD)).isTrue();
    assertThat(SecretCandidates.worthChecking("payments")).as("letters only").isFalse();
    assertThat(SecretCandidates.worthChecking("short1!")).as("under 8").isFalse();
    assertThat(SecretCandidates.worthChecking("aaaa1111")).as("low entropy").isFalse();
    assertThat(SecretCandidates.worthChecking("-----BEGIN RSA PRIVATE KEY-----")).as("PEM armour").isFalse();
    assertThat(SecretCandidates.worthChecking(TOKEN)).as("a mask token").isFalse();
    assertThat(SecretCandidates.trim("**(" + PASSWORD + ").")).isEqualTo(PASSWORD);
  }
}

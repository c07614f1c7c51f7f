package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.at;
import static dev.vigil.streams.detect.TestEvents.fp;
import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.llm;
import static dev.vigil.streams.detect.TestEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;

class SecretLeakageDetectorTest {

  private static final DetectorSettings ONLY = DetectorSettings.defaults().only(DetectorSettings.SECRET_LEAKAGE);
  private static final String AWS = fp("AKIAIOSFODNN7EXAMPLE");
  private static final String PEM = fp("-----BEGIN RSA PRIVATE KEY-----");

  /** An agent's prompt with an AWS key in it, masked as the gateway records it. */
  private static VigilEvent prompt(String session, java.time.Instant t) {
    return llm("alice").session(session).at(t)
        .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"use masked:aws-access-key:" + AWS
            + " to list the bucket\"}]}")
        .finding("aws-access-key", "messages[0].content@4", AWS).request();
  }

  private static List<Alert> run(DetectorSettings s, VigilEvent... es) {
    try (DetectorHarness h = new DetectorHarness(s)) {
      return h.pipe(es).alerts();
    }
  }

  @Test
  void shouldAlertOnACredentialSentToAnLlm() {
    VigilEvent e = prompt("s1", seconds(0));
    assertThat(run(ONLY, e)).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("secret-leakage");
      assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
      assertThat(a.getSessionKey()).isEqualTo("alice/s1");
      assertThat(a.getEvidenceEventIds()).containsExactly(e.getEventId());
      assertThat(a.getTime()).isEqualTo(e.getTime());
      assertThat(a.getAttributes()).containsEntry("leak", "llm").containsEntry("kinds", "aws-access-key")
          .containsEntry("fingerprint", AWS).containsEntry("locations", "messages[0].content@4")
          .containsEntry("channel", "LLM").containsEntry("path", "/v1/chat/completions");
      assertThat(a.getDescription()).isEqualTo("alice (session alice/s1) sent a credential (aws-access-key "
          + "fingerprint " + AWS.substring(0, 8) + "\u2026) to the LLM API (POST /v1/chat/completions)");
    });
  }

  @Test
  void shouldRatePrivateKeysCriticalAndDeniedRequestsMedium() {
    VigilEvent key = llm("alice").finding("pem-private-key", "messages[1].content@0", PEM)
        .finding("aws-access-key", "messages[1].content@900", AWS).request();
    VigilEvent denied = llm("bob").deny("no-llm").finding("pem-private-key", "messages[0].content@0", PEM).request();
    List<Alert> alerts = run(ONLY, key, denied);
    assertThat(alerts).extracting(Alert::getSeverity).containsExactly(Severity.CRITICAL, Severity.MEDIUM);
    assertThat(alerts.get(0).getAttributes()).containsEntry("fingerprints", PEM + "," + AWS);
    assertThat(alerts.get(0).getDescription()).contains("2 credentials");
    assertThat(alerts.get(1).getDescription()).contains("denied by the gateway");
  }

  @Test
  void shouldAlertOnCredentialsWrittenIntoConfigMapsEnvAnnotationsAndLogs() {
    VigilEvent configMap = kube("alice").call("create", "configmaps").ns("team-a").name("app-config")
        .finding("generic-secret", "data.settings@12", fp("db-pass")).request();
    VigilEvent env = kube("alice").group("apps").call("patch", "deployments").ns("team-a").name("web")
        .finding("github-token", "spec.template.spec.containers[0].env[2].value@0", fp("ghp")).request();
    VigilEvent annotation = kube("alice").call("update", "services").ns("team-a").name("web")
        .finding("slack-token", "metadata.annotations.notify@0", fp("xoxb")).request();
    VigilEvent logs = kube("alice").call("get", "pods/log").ns("team-a").name("web-0")
        .finding("aws-secret-key", "@311", fp("aws-secret")).frame(StreamKind.LOGS, 3);
    VigilEvent logResponse = kube("alice").call("get", "pods/log").ns("team-a").name("web-1")
        .finding("jwt", "@20", fp("jwt")).response();
    List<Alert> alerts = run(ONLY, configMap, env, annotation, logs, logResponse);
    assertThat(alerts).extracting(a -> a.getAttributes().get("leak"))
        .containsExactly("configmap", "env", "annotation", "logs", "logs");
    assertThat(alerts).extracting(Alert::getSeverity).containsOnly(Severity.HIGH);
    assertThat(alerts.get(0).getDescription()).contains("wrote a credential (generic-secret")
        .contains("into a ConfigMap (create configmaps team-a/app-config)");
    assertThat(alerts.get(1).getDescription()).contains("into environment variables (patch deployments team-a/web)");
    assertThat(alerts.get(3).getDescription()).contains("in the logs of pod team-a/web-0");
    assertThat(alerts.get(1).getAttributes()).containsEntry("namespace", "team-a").containsEntry("name", "web")
        .containsEntry("verb", "patch");
  }

  @Test
  void shouldIgnoreSecretsWhereTheyBelong() {
    assertThat(run(ONLY,
        // reading a Secret: its values are k8s-secret findings, not a leak
        kube("alice").call("get", "secrets").ns("team-a").name("db")
            .finding("k8s-secret", "data.password", fp("pw")).response(),
        // writing a credential into a Secret is what Secrets are for
        kube("alice").call("create", "secrets").ns("team-a").name("db")
            .finding("aws-access-key", "stringData.key@0", AWS).request(),
        // a Secret's values in a ConfigMap-less write are k8s-secret kinds (ignored-kinds)
        kube("alice").call("create", "configmaps").ns("team-a").name("c")
            .finding("k8s-secret", "data.x", fp("x")).request(),
        // a credential elsewhere in a pod spec (an image pull reference) is not one of the places checked
        kube("alice").call("create", "pods").ns("team-a").name("p")
            .finding("generic-secret", "spec.containers[0].image@30", fp("img")).request(),
        // a read of a ConfigMap that holds a credential is no write
        kube("alice").call("get", "configmaps").ns("team-a").name("c")
            .finding("generic-secret", "data.settings@12", fp("db-pass")).request(),
        // a watch frame is not a log
        kube("alice").call("watch", "configmaps").ns("team-a")
            .finding("generic-secret", "object.data.settings@12", fp("db-pass")).frame(StreamKind.WATCH, 0)))
        .isEmpty();
  }

  @Test
  void shouldReportARepeatedCredentialOncePerSuppressionPeriod() {
    // an LLM conversation re-sends its history on every turn
    VigilEvent turn1 = prompt("s1", seconds(0));
    VigilEvent turn2 = prompt("s1", seconds(30));
    VigilEvent turn3 = prompt("s1", at(Duration.ofMinutes(50)));
    VigilEvent otherSession = prompt("s2", seconds(40));
    VigilEvent later = prompt("s1", at(Duration.ofMinutes(200)));
    List<Alert> alerts = run(ONLY, turn1, turn2, turn3, otherSession, later);
    assertThat(alerts).extracting(a -> a.getEvidenceEventIds().get(0))
        .containsExactly(turn1.getEventId(), otherSession.getEventId(), later.getEventId());

    // out of order: the earlier turn arriving last is a repeat too
    assertThat(run(ONLY, turn2, turn1)).hasSize(1);

    // a new credential in the next turn is reported, alone
    VigilEvent withNew = llm("alice").session("s1").at(seconds(60)).finding("aws-access-key", "m@1", AWS)
        .finding("github-token", "m@50", fp("ghp")).request();
    assertThat(run(ONLY, turn1, withNew)).last()
        .satisfies(a -> assertThat(a.getAttributes()).containsEntry("fingerprints", fp("ghp")));

    assertThat(run(ONLY.with("secret-leakage.repeat-suppression", "0"), turn1, turn2, turn3)).hasSize(3);
  }

  @Test
  void shouldHonourConfiguredKinds() {
    VigilEvent jwt = llm("alice").finding("jwt", "messages[0].content@0", fp("jwt")).request();
    VigilEvent secret = llm("alice").finding("k8s-secret", "messages[0].content@0", fp("s")).request();
    assertThat(run(ONLY, jwt, secret)).hasSize(1);
    DetectorSettings s = ONLY.with("secret-leakage.ignored-kinds", "jwt")
        .with("secret-leakage.critical-kinds", "k8s-secret");
    assertThat(run(s, jwt, secret)).singleElement()
        .satisfies(a -> assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL));
  }

  @Test
  void shouldGiveTheSameAlertIdWhenReprocessed() {
    VigilEvent e = prompt("s1", seconds(0));
    assertThat(run(ONLY, e).get(0).getAlertId()).isEqualTo(run(ONLY, e).get(0).getAlertId())
        .isNotEqualTo(run(ONLY, prompt("s1", seconds(0))).get(0).getAlertId());
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    assertThat(run(ONLY.with("secret-leakage.enabled", "false"), prompt("s1", seconds(0)))).isEmpty();
  }
}

package dev.vigil.streams.detect;

import static dev.vigil.streams.detect.TestEvents.at;
import static dev.vigil.streams.detect.TestEvents.fp;
import static dev.vigil.streams.detect.TestEvents.kube;
import static dev.vigil.streams.detect.TestEvents.llm;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Severity;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;

class CrossChannelExfiltrationDetectorTest {

  private static final DetectorSettings ONLY =
      DetectorSettings.defaults().only(DetectorSettings.CROSS_CHANNEL_EXFILTRATION);
  private static final String PW = fp("db password");
  private static final String TLS = fp("tls key");

  /** alice lists the Secrets of team-a (as recorded: values masked, k8s-secret findings). */
  private static VigilEvent listSecrets(String user, String session, Instant t) {
    return kube(user).session(session).call("list", "secrets").ns("team-a").at(t).body("""
        {"kind":"SecretList","apiVersion":"v1","metadata":{},"items":[
         {"metadata":{"name":"web-tls","namespace":"team-a"},"data":{"tls.key":"masked:k8s-secret:%s"}},
         {"metadata":{"name":"db-creds","namespace":"team-a"},"data":{"password":"masked:k8s-secret:%s"}}]}"""
        .formatted(TLS, PW))
        .finding("k8s-secret", "items[0].data.tls.key", TLS)
        .finding("k8s-secret", "items[1].data.password", PW)
        .response();
  }

  /** A prompt in which the gateway's detectors found a value with fingerprint {@code fingerprint}. */
  private static VigilEvent prompt(String user, String session, Instant t, String fingerprint) {
    return llm(user).session(session).at(t)
        .body("{\"messages\":[{\"role\":\"tool\",\"content\":\"DB_PASSWORD=masked:generic-secret:" + fingerprint
            + "\"}]}")
        .finding("generic-secret", "messages[0].content@12", fingerprint).request();
  }

  private static List<Alert> run(DetectorSettings s, VigilEvent... es) {
    try (DetectorHarness h = new DetectorHarness(s)) {
      return h.pipe(es).alerts();
    }
  }

  @Test
  void shouldAlertWhenAnIdentitySendsASecretItReadToAnLlm() {
    VigilEvent read = listSecrets("alice", "a", at(Duration.ZERO));
    VigilEvent use = prompt("alice", "b", at(Duration.ofMinutes(10)), PW);
    try (DetectorHarness h = new DetectorHarness(ONLY)) {
      List<KeyValue<String, Alert>> out = h.pipe(read, use).keyedAlerts();
      assertThat(out).singleElement().satisfies(kv -> {
        assertThat(kv.key).as("keyed by the LLM request's session key").isEqualTo("alice/b");
        Alert a = kv.value;
        assertThat(a.getType()).isEqualTo("cross-channel-exfiltration");
        assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.getSessionKey()).isEqualTo("alice/b");
        assertThat(a.getSessionId()).isNull();
        assertThat(a.getIdentity().getUsername()).isEqualTo("alice");
        assertThat(a.getEvidenceEventIds()).containsExactly(read.getEventId(), use.getEventId());
        assertThat(a.getTime()).isEqualTo(use.getTime());
        assertThat(a.getAttributes()).containsEntry("fingerprint", PW).containsEntry("namespace", "team-a")
            .containsEntry("name", "db-creds").containsEntry("secretLocation", "items[1].data.password")
            .containsEntry("readSessionKey", "alice/a").containsEntry("readVia", "list secrets")
            .containsEntry("path", "POST /v1/chat/completions").containsEntry("decision", "ALLOW");
        assertThat(a.getDescription()).isEqualTo("alice (session alice/b) sent to the LLM API "
            + "(POST /v1/chat/completions) a value of Secret team-a/db-creds (items[1].data.password, fingerprint "
            + PW.substring(0, 8) + "\u2026) it read through Kubernetes 10 min earlier (list secrets, session alice/a)");
      });
    }
  }

  @Test
  void shouldNotAlertForAnotherIdentity() {
    assertThat(run(ONLY, listSecrets("alice", "a", at(Duration.ZERO)),
        prompt("bob", "b", at(Duration.ofMinutes(10)), PW))).isEmpty();
  }

  @Test
  void shouldNotAlertForAnotherValue() {
    assertThat(run(ONLY, listSecrets("alice", "a", at(Duration.ZERO)),
        prompt("alice", "a", at(Duration.ofMinutes(10)), fp("something else")))).isEmpty();
  }

  @Test
  void shouldNotAlertAfterTheTtl() {
    VigilEvent read = listSecrets("alice", "a", at(Duration.ZERO));
    assertThat(run(ONLY, read, prompt("alice", "a", at(Duration.ofHours(25)), PW))).isEmpty();
    assertThat(run(ONLY, read, prompt("alice", "a", at(Duration.ofHours(23)), PW))).hasSize(1);
    DetectorSettings oneHour = ONLY.with("cross-channel-exfiltration.ttl", "1h");
    assertThat(run(oneHour, read, prompt("alice", "a", at(Duration.ofMinutes(61)), PW))).isEmpty();
    assertThat(run(oneHour, read, prompt("alice", "a", at(Duration.ofMinutes(59)), PW))).hasSize(1);
  }

  @Test
  void shouldAlertWhenTheLlmRequestArrivesBeforeTheRead() {
    // the repartition interleaves partitions: the read (session a) may reach the join after the prompt (session b)
    VigilEvent read = listSecrets("alice", "a", at(Duration.ofSeconds(10)));
    VigilEvent use = prompt("alice", "b", at(Duration.ofSeconds(40)), PW);
    assertThat(run(ONLY, use, read)).singleElement().satisfies(a -> {
      assertThat(a.getSessionKey()).isEqualTo("alice/b");
      assertThat(a.getEvidenceEventIds()).containsExactly(read.getEventId(), use.getEventId());
    });
    // and a read recorded slightly after the prompt (another gateway's clock) within the grace also joins
    VigilEvent skewed = listSecrets("alice", "a", at(Duration.ofSeconds(70)));
    assertThat(run(ONLY, skewed, use)).hasSize(1);
    assertThat(run(ONLY.with("cross-channel-exfiltration.grace", "10s"), skewed, use)).isEmpty();
  }

  @Test
  void shouldAlertOncePerReadWhenTheConversationIsResent() {
    VigilEvent read = listSecrets("alice", "a", at(Duration.ZERO));
    VigilEvent turn1 = prompt("alice", "a", at(Duration.ofMinutes(1)), PW);
    VigilEvent turn2 = prompt("alice", "a", at(Duration.ofMinutes(2)), PW);
    VigilEvent reread = listSecrets("alice", "a", at(Duration.ofHours(30)));
    VigilEvent turn3 = prompt("alice", "a", at(Duration.ofHours(31)), PW);
    List<Alert> alerts = run(ONLY, read, turn1, turn2, reread, turn3);
    assertThat(alerts).extracting(Alert::getEvidenceEventIds).containsExactly(
        List.of(read.getEventId(), turn1.getEventId()), List.of(reread.getEventId(), turn3.getEventId()));
    assertThat(alerts.get(0).getAlertId()).isNotEqualTo(alerts.get(1).getAlertId());
  }

  @Test
  void shouldFollowWatchFramesAndNameTheSecret() {
    String token = fp("api token");
    VigilEvent frame = kube("alice").session("w").call("watch", "secrets").ns("team-b").at(at(Duration.ZERO))
        .body("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Secret\",\"metadata\":{\"name\":\"api\",\"namespace\":"
            + "\"team-b\"},\"data\":{\"token\":\"masked:k8s-secret:" + token + "\"}}}")
        .finding("k8s-secret", "object.data.token", token).frame(StreamKind.WATCH, 4);
    VigilEvent use = prompt("alice", "w", at(Duration.ofMinutes(3)), token);
    assertThat(run(ONLY, frame, use)).singleElement().satisfies(a -> {
      assertThat(a.getAttributes()).containsEntry("namespace", "team-b").containsEntry("name", "api")
          .containsEntry("readVia", "watch secrets");
      assertThat(a.getDescription()).contains("Secret team-b/api").doesNotContain(", session");
    });
  }

  @Test
  void shouldRateHighWhenTheLlmRequestWasDenied() {
    VigilEvent use = llm("alice").at(at(Duration.ofMinutes(5))).deny("no-llm")
        .finding("generic-secret", "m@0", PW).request();
    assertThat(run(ONLY, listSecrets("alice", "a", at(Duration.ZERO)), use)).singleElement()
        .satisfies(a -> {
          assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
          assertThat(a.getAttributes()).containsEntry("decision", "DENY");
        });
  }

  @Test
  void shouldOnlyJoinSecretReadsToLlmRequests() {
    VigilEvent configMapRead = kube("alice").call("get", "configmaps").ns("team-a").name("c")
        .finding("generic-secret", "data.x@3", PW).response();
    VigilEvent kubeWrite = kube("alice").call("create", "configmaps").ns("team-a").name("c")
        .at(at(Duration.ofMinutes(2))).finding("generic-secret", "data.x@3", PW).request();
    VigilEvent anonymousRead = kube("alice").anonymous().call("get", "secrets").ns("team-a").name("db")
        .finding("k8s-secret", "data.password", PW).response();
    assertThat(run(ONLY, configMapRead, kubeWrite, anonymousRead,
        prompt("system:anonymous", "x", at(Duration.ofMinutes(3)), PW),
        prompt("alice", "a", at(Duration.ofMinutes(4)), PW))).isEmpty();
  }

  @Test
  void shouldGiveTheSameAlertIdWhenReprocessed() {
    VigilEvent read = listSecrets("alice", "a", at(Duration.ZERO));
    VigilEvent use = prompt("alice", "b", at(Duration.ofMinutes(10)), PW);
    assertThat(run(ONLY, read, use).get(0).getAlertId()).isEqualTo(run(ONLY, use, read).get(0).getAlertId());
  }

  @Test
  void shouldNotAlertWhenDisabled() {
    assertThat(run(ONLY.with("cross-channel-exfiltration.enabled", "false"),
        listSecrets("alice", "a", at(Duration.ZERO)), prompt("alice", "a", at(Duration.ofMinutes(1)), PW)))
        .isEmpty();
  }
}

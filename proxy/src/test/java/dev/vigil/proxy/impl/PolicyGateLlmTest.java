package dev.vigil.proxy.impl;

import static dev.vigil.proxy.impl.SecretFingerprintsTest.FP;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.PASSWORD;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.kubernetes;
import static dev.vigil.proxy.impl.SecretFingerprintsTest.readSecret;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.masking.Masker;
import dev.vigil.proxy.policy.PolicyStore;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;

/** {@link PolicyGate#decideLlm}: the guardrail no-secret-in-llm-prompt, its off switch, models; and the recording. */
class PolicyGateLlmTest {

  static final String GUARDRAIL = "guardrail:no-secret-in-llm-prompt";
  static final String POLICY = """
      rules:
        - id: no-opus-for-agents
          effect: deny
          reason: agents use the smaller models
          groups: [agents]
          models: ["claude-opus*"]
        - id: agents-llm
          effect: allow
          groups: [agents]
          channels: [LLM]
      """;

  @TempDir
  Path dir;
  final SecretFingerprints reads = new SecretFingerprints(FP, Duration.ofHours(1), 1000, 100, System::nanoTime);
  final BodyMasking masking = new BodyMasking(new Masker(FP), reads);

  PolicyGate gate(String policy) throws Exception {
    Path file = dir.resolve("policy-" + System.nanoTime() + ".yaml");
    Files.writeString(file, policy, StandardCharsets.UTF_8);
    return new PolicyGate(PolicyStore.open(file), null, reads, null);
  }

  static Exchange llmCall(String sessionKey, String method, String path) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = sessionKey;
    ex.caller = new CallerIdentity("sub-1", "agent-1", List.of("agents"), "https://idp");
    ex.ref = EventFactory.ref(ex.requestId, method, path, null, "127.0.0.1", "claude-cli", null);
    return ex;
  }

  static Body json(String content, boolean truncated) {
    return Body.newBuilder().setContentType("application/json").setEncoding(BodyEncoding.TEXT).setContent(content)
        .setOriginalSize(content.length()).setTruncated(truncated).setMasked(false).build();
  }

  static Body prompt(String text) {
    return json("{\"model\":\"claude-sonnet-4\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\""
        + text + "\"}]}", false);
  }

  static PolicyGate.Verdict decided(PolicyGate gate, Exchange ex, String model, Body body) {
    io.vertx.core.Future<PolicyGate.Verdict> f = gate.decideLlm(ex, model, body);
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  @Test
  void shouldDenyAPromptCarryingASecretTheSessionRead() throws Exception {
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    Exchange ex = llmCall("agent-1", "POST", "/llm/anthropic/v1/messages");
    Body body = prompt("please check the db, the password is " + PASSWORD);

    PolicyGate.Verdict v = decided(gate(POLICY), ex, "claude-sonnet-4", body);

    assertThat(v.allowed()).isFalse();
    assertThat(v.ruleId()).isEqualTo(GUARDRAIL);
    assertThat(v.decision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(v.decision().getRuleId()).isEqualTo(GUARDRAIL);
    assertThat(v.reason()).contains("k8s-secret", FP.fingerprint(PASSWORD)).doesNotContain(PASSWORD);
    BodyMasking.Masked recorded = masking.maskLlmRequest(ex, body);
    assertThat(recorded.body().getContent()).doesNotContain(PASSWORD)
        .contains("masked:k8s-secret:" + FP.fingerprint(PASSWORD));
    assertThat(recorded.body().getMasked()).isTrue();
    assertThat(recorded.findings()).contains(new Finding("k8s-secret", "llm.prompt", FP.fingerprint(PASSWORD)));
  }

  @Test
  void shouldAllowButStillMaskWhenTheGuardrailIsOff() throws Exception {
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    Exchange ex = llmCall("agent-1", "POST", "/llm/anthropic/v1/messages");
    Body body = prompt("password: " + PASSWORD); // also a generic-secret: recorded as the Secret value it is

    PolicyGate.Verdict v = decided(gate("guardrails: {no-secret-in-llm-prompt: false}\n" + POLICY), ex,
        "claude-sonnet-4", body);

    assertThat(v.allowed()).isTrue();
    assertThat(v.ruleId()).isEqualTo("agents-llm");
    assertThat(ex.promptSecrets).containsExactly(FP.fingerprint(PASSWORD));
    BodyMasking.Masked recorded = masking.maskLlmRequest(ex, body);
    assertThat(recorded.body().getContent()).doesNotContain(PASSWORD);
    assertThat(recorded.findings()).containsExactly(new Finding("k8s-secret", "llm.prompt", FP.fingerprint(PASSWORD)));
  }

  @Test
  void shouldListWhatTheDecisionFoundEvenWhenTheRecordedBodyIsCutBeforeIt() throws Exception {
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    Exchange ex = llmCall("agent-1", "POST", "/llm/anthropic/v1/messages");
    Body whole = prompt("x".repeat(200) + " the password is " + PASSWORD);

    assertThat(decided(gate(POLICY), ex, "claude-sonnet-4", whole).ruleId()).isEqualTo(GUARDRAIL);
    Body recordedCopy = json(whole.getContent().substring(0, 150), true);

    assertThat(masking.maskLlmRequest(ex, recordedCopy).findings())
        .containsExactly(new Finding("k8s-secret", "llm.prompt", FP.fingerprint(PASSWORD)));
  }

  @Test
  void shouldDenyARequestThatCannotBeCheckedWholeOnlyWhenTheSessionReadSecrets() throws Exception {
    PolicyGate gate = gate(POLICY);
    Body cut = json("{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hello", true);

    assertThat(decided(gate, llmCall("agent-1", "POST", "/llm/anthropic/v1/messages"), "claude-sonnet-4", cut)
        .allowed()).isTrue();
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    PolicyGate.Verdict v = decided(gate, llmCall("agent-1", "POST", "/llm/anthropic/v1/messages"), "claude-sonnet-4",
        cut);
    assertThat(v.ruleId()).isEqualTo(GUARDRAIL);
    assertThat(v.reason()).contains("could not be checked whole");
  }

  @Test
  void shouldAllowTheSameValueInAnotherSession() throws Exception {
    reads.fedBy(kubernetes("agent-1/task-1"), readSecret("password", PASSWORD));
    Exchange other = llmCall("agent-1/task-2", "POST", "/llm/anthropic/v1/messages");

    PolicyGate.Verdict v = decided(gate(POLICY), other, "claude-sonnet-4", prompt("the password is " + PASSWORD));

    assertThat(v.allowed()).isTrue();
    assertThat(other.promptSecrets).isEmpty();
  }

  @Test
  void shouldDecideModelsPerRule() throws Exception {
    PolicyGate gate = gate(POLICY);

    PolicyGate.Verdict opus = decided(gate, llmCall("agent-1", "POST", "/llm/anthropic/v1/messages"),
        "claude-opus-4-1", prompt("hello"));
    PolicyGate.Verdict haiku = decided(gate, llmCall("agent-1", "POST", "/llm/anthropic/v1/messages"),
        "claude-3-5-haiku-latest", prompt("hello"));
    PolicyGate.Verdict models = decided(gate, llmCall("agent-1", "GET", "/llm/anthropic/v1/models"), null, null);

    assertThat(opus.allowed()).isFalse();
    assertThat(opus.ruleId()).isEqualTo("no-opus-for-agents");
    assertThat(opus.reason()).isEqualTo("agents use the smaller models");
    assertThat(haiku.ruleId()).isEqualTo("agents-llm");
    assertThat(models.ruleId()).isEqualTo("agents-llm");
    assertThat(decided(gate("rules: [{id: gets, effect: allow, channels: [LLM], verbs: [get]}]"),
        llmCall("agent-1", "GET", "/llm/anthropic/v1/models"), null, null).ruleId()).isEqualTo("gets");
    assertThat(decided(gate("rules: [{id: gets, effect: allow, channels: [LLM], verbs: [get]}]"),
        llmCall("agent-1", "POST", "/llm/anthropic/v1/messages"), "m", prompt("hi")).ruleId()).isEqualTo("default");
  }

  @Test
  void shouldAllowEveryCallWithoutAPolicyButStillMask() {
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    Exchange ex = llmCall("agent-1", "POST", "/llm/anthropic/v1/messages");

    PolicyGate.Verdict v = decided(new PolicyGate(null, null, reads, null), ex, "m", prompt("pw " + PASSWORD));

    assertThat(v.allowed()).isTrue();
    assertThat(ex.promptSecrets).containsExactly(FP.fingerprint(PASSWORD));
  }

  @Test
  void shouldMaskTheSessionsSecretValuesInReplies() {
    reads.fedBy(kubernetes("agent-1"), readSecret("password", PASSWORD));
    Exchange ex = llmCall("agent-1", "POST", "/llm/anthropic/v1/messages");
    Body reply = json("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        + "\"It is " + PASSWORD + ".\"}}", false);

    BodyMasking.Masked recorded = masking.maskLlmReply(ex, reply);

    assertThat(recorded.body().getContent()).doesNotContain(PASSWORD);
    assertThat(recorded.findings()).containsExactly(new Finding("k8s-secret", "llm.reply", FP.fingerprint(PASSWORD)));
    assertThat(PolicyGate.llmVerb("POST")).isEqualTo("create");
    assertThat(PolicyGate.llmVerb("HEAD")).isEqualTo("get");
  }
}

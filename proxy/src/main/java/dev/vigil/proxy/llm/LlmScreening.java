package dev.vigil.proxy.llm;

import java.util.List;

import dev.vigil.schema.Finding;

/**
 * HOOK for issue 7's secret-fingerprint guardrail (engineer L1b, {@code SecretFingerprints}): masks, in a recorded LLM
 * body, the values of Kubernetes Secrets this session read through the gateway. The gateway calls it on every LLM body
 * it records — the request JSON ({@value #PROMPT}), each SSE frame and the reply ({@value #REPLY}) — before the
 * masking library runs over the result; each value it replaces must become {@code masked:k8s-secret:<fingerprint>}
 * and be listed in {@link Screened#findings()} (kind {@code k8s-secret}, the location given, the fingerprint). It sees
 * the whole text before any cap is applied. Must be fast and thread-safe (large bodies are screened on a worker
 * thread). Until L1b's implementation is wired in ({@code VigilProxyImpl}), {@link #NONE} is used: nothing replaced.
 */
public interface LlmScreening {

  String PROMPT = "llm.prompt";
  String REPLY = "llm.reply";

  /** Masks nothing. */
  LlmScreening NONE = (sessionKey, location, text) -> new Screened(text, List.of());

  /** The text with known secret values replaced, and one finding per replacement. */
  record Screened(String text, List<Finding> findings) {
    public Screened {
      findings = List.copyOf(findings);
    }
  }

  Screened screen(String sessionKey, String location, String text);
}

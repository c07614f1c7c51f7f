package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;

import dev.vigil.masking.MaskResult;
import dev.vigil.masking.Masker;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Finding;

/**
 * Masks every recorded body before it leaves the gateway: Kubernetes Secret values and detected credentials become
 * {@code masked:<kind>:<fingerprint>} and are listed as findings. A body that cannot be inspected (BASE64) of a call
 * on {@code secrets} is withheld whole, so no Secret value is ever recorded. A body already masked for the caller
 * under {@code maskResponse} ({@link #preMasked}) is recorded as it is, with the findings of the whole body.
 *
 * <p>LLM bodies ({@link #maskLlmRequest}, {@link #maskLlmReply}) first have the values of the Secrets their session
 * read through Kubernetes ({@link SecretFingerprints}) replaced by {@code masked:k8s-secret:<fingerprint>} (findings
 * at {@value #LLM_PROMPT} or {@value #LLM_REPLY}), whether the guardrail {@code no-secret-in-llm-prompt} is on or not,
 * then are masked as every body.
 */
final class BodyMasking {

  /** A body as it may be recorded, and what was masked in it. */
  record Masked(Body body, List<Finding> findings) {
    static final Masked NONE = new Masked(null, List.of());
  }

  static final String WITHHELD = "masked:k8s-secret-body:withheld (not decodable, not recorded)";
  /** The location of the findings of Secret values in an LLM request, and in an LLM reply (or stream event). */
  static final String LLM_PROMPT = "llm.prompt";
  static final String LLM_REPLY = "llm.reply";

  private final Masker masker;
  private final SecretFingerprints secretReads;

  BodyMasking(Masker masker) {
    this(masker, null);
  }

  /** {@code secretReads} may be null: LLM bodies are then masked as every body. */
  BodyMasking(Masker masker, SecretFingerprints secretReads) {
    this.masker = masker;
    this.secretReads = secretReads;
  }

  /**
   * An LLM request body as it may be recorded: the session's Secret values masked (also listing those
   * {@link PolicyGate#decideLlm} found in the whole request, {@link Exchange#promptSecrets}), then as {@link #mask}.
   */
  Masked maskLlmRequest(Exchange ex, Body body) {
    Masked known = maskKnownSecrets(ex.sessionKey, body, LLM_PROMPT);
    List<Finding> findings = new ArrayList<>(known.findings());
    for (String fp : ex.promptSecrets) {
      if (findings.stream().noneMatch(f -> fp.equals(f.getFingerprint()))) {
        findings.add(new Finding(SecretFingerprints.KIND, LLM_PROMPT, fp));
      }
    }
    return then(ex, known.body(), findings);
  }

  /** An LLM reply body or stream event as it may be recorded: the session's Secret values masked, then as {@link #mask}. */
  Masked maskLlmReply(Exchange ex, Body body) {
    Masked known = maskKnownSecrets(ex.sessionKey, body, LLM_REPLY);
    return then(ex, known.body(), known.findings());
  }

  private Masked then(Exchange ex, Body body, List<Finding> before) {
    Masked rest = mask(ex, body);
    if (before.isEmpty()) {
      return rest;
    }
    List<Finding> all = new ArrayList<>(before);
    all.addAll(rest.findings());
    return new Masked(rest.body(), all);
  }

  /**
   * {@code body} with the values of the Secrets {@code sessionKey} read replaced by {@code masked:k8s-secret:<fp>},
   * one finding at {@code location} per fingerprint. A body that is not text is withheld whole when the session read
   * Secret values (it cannot be checked). Nothing changes without a session's fingerprints.
   */
  Masked maskKnownSecrets(String sessionKey, Body body, String location) {
    if (secretReads == null || body == null || !secretReads.holdsAny(sessionKey)) {
      return new Masked(body, List.of());
    }
    if (body.getEncoding() != BodyEncoding.TEXT) {
      return new Masked(Body.newBuilder(body).setEncoding(BodyEncoding.TEXT).setContent(WITHHELD).setMasked(true)
          .build(), List.of());
    }
    SecretFingerprints.Scan scan = secretReads.scan(sessionKey, body.getContent());
    if (!scan.found()) {
      return new Masked(body, List.of());
    }
    List<Finding> findings = new ArrayList<>();
    scan.fingerprints().forEach(fp -> findings.add(new Finding(SecretFingerprints.KIND, location, fp)));
    return new Masked(Body.newBuilder(body).setContent(scan.masked()).setMasked(true).build(), findings);
  }

  /**
   * A body masked for the caller already (maskResponse), with what was found in the whole of it: recorded as it is by
   * the next event built with exactly the returned body (see {@link #mask}).
   *
   * @return the body to record (null for none)
   */
  static Body preMasked(Exchange ex, Body recorded, List<Finding> findings) {
    if (recorded == null) {
      ex.preMasked = null;
      return null;
    }
    Body body = Body.newBuilder(recorded).setMasked(recorded.getMasked() || !findings.isEmpty()).build();
    ex.preMasked = new Masked(body, List.copyOf(findings));
    return body;
  }

  /** The masking library's findings as recorded. */
  static List<Finding> findings(List<dev.vigil.masking.Finding> found) {
    List<Finding> findings = new ArrayList<>(found.size());
    found.forEach(f -> findings.add(new Finding(f.kind(), f.location(), f.fingerprint())));
    return findings;
  }

  Masked mask(Exchange ex, Body body) {
    if (body == null) {
      return Masked.NONE;
    }
    Masked pre = ex.preMasked;
    if (pre != null && pre.body() == body) {
      ex.preMasked = null;
      return pre;
    }
    boolean secrets = ex.parsed != null && "secrets".equals(ex.parsed.info().getResource());
    if (body.getEncoding() != BodyEncoding.TEXT) {
      if (!secrets) {
        return new Masked(body, List.of());
      }
      return new Masked(Body.newBuilder(body).setEncoding(BodyEncoding.TEXT).setContent(WITHHELD).setMasked(true).build(),
          List.of());
    }
    MaskResult r = masker.mask(body.getContentType(), body.getContent(), secrets);
    if (!r.masked()) {
      return new Masked(body, List.of());
    }
    return new Masked(Body.newBuilder(body).setContent(r.text()).setMasked(true)
        .setTruncated(body.getTruncated() || r.truncated()).build(), findings(r.findings()));
  }
}

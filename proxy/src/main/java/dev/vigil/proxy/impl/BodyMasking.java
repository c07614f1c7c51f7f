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
 */
final class BodyMasking {

  /** A body as it may be recorded, and what was masked in it. */
  record Masked(Body body, List<Finding> findings) {
    static final Masked NONE = new Masked(null, List.of());
  }

  static final String WITHHELD = "masked:k8s-secret-body:withheld (not decodable, not recorded)";

  private final Masker masker;

  BodyMasking(Masker masker) {
    this.masker = masker;
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

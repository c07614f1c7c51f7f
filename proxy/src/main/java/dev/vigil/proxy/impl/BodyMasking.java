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
 * on {@code secrets} is withheld whole, so no Secret value is ever recorded.
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

  Masked mask(Exchange ex, Body body) {
    if (body == null) {
      return Masked.NONE;
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
    List<Finding> findings = new ArrayList<>(r.findings().size());
    r.findings().forEach(f -> findings.add(new Finding(f.kind(), f.location(), f.fingerprint())));
    return new Masked(Body.newBuilder(body).setContent(r.text()).setMasked(true)
        .setTruncated(body.getTruncated() || r.truncated()).build(), findings);
  }
}

package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.vigil.codec.ContentKind;
import dev.vigil.codec.KubeContent;
import dev.vigil.codec.Utf8;
import dev.vigil.masking.Detectors;
import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.MaskResult;
import dev.vigil.masking.Masker;
import dev.vigil.schema.Finding;
import io.vertx.core.buffer.Buffer;

/**
 * What a caller under {@code maskResponse} receives: bodies and stream pieces masked exactly as the recording masks
 * them (the same {@link Masker} rules and fingerprint key, so the caller sees the fingerprints the recording holds),
 * but over the whole body rather than the recorded prefix. JSON/YAML is parsed (Secret {@code data}/{@code stringData}
 * in objects, lists, Tables, watch events; then the detectors over every string); other UTF-8 text goes through the
 * detectors; a protobuf body is decoded to JSON (and relayed as JSON when something was masked); bytes that are not
 * UTF-8 go through the detectors byte for byte (read as ISO-8859-1, so nothing but a detected credential changes).
 * What was masked is relayed as the masked text; what was not is relayed byte for byte. Thread-safe.
 */
final class ResponseMasking {

  /**
   * One body or piece as the caller receives it.
   *
   * @param bytes       what to relay (the original bytes when nothing was masked)
   * @param contentType its content type
   * @param findings    what was masked, as recorded
   * @param changed     true when {@code bytes} differ from the original
   * @param refusal     why it cannot be relayed at all (fail closed), or null
   */
  record Result(Buffer bytes, String contentType, List<Finding> findings, boolean changed, String refusal) {

    boolean refused() {
      return refusal != null;
    }

    static Result refuse(String why) {
      return new Result(null, null, List.of(), false, why);
    }
  }

  private final Fingerprinter fingerprinter;
  private final Masker masker;
  private final int maxBytes;
  private final SecretFingerprints secretReads;

  ResponseMasking(Fingerprinter fingerprinter, int maxBytes) {
    this(fingerprinter, maxBytes, null);
  }

  /** {@code secretReads} (may be null) is fed the Secret values of what is masked ({@link #read}). */
  ResponseMasking(Fingerprinter fingerprinter, int maxBytes, SecretFingerprints secretReads) {
    this.fingerprinter = fingerprinter;
    this.maxBytes = maxBytes;
    this.masker = new Masker(fingerprinter, Math.max(1, maxBytes)); // whole bodies: never cut by the masker's own cap
    this.secretReads = secretReads;
  }

  /**
   * Feeds the Secret values of a body or watch event masked for {@code ex}'s caller to the session's
   * {@link SecretFingerprints}: also those the recording leaves out (record off, metadata, frames over the cap).
   */
  void read(Exchange ex, List<Finding> findings) {
    if (secretReads != null) {
      secretReads.fedBy(ex, findings);
    }
  }

  /** The largest body, watch event or held stream piece that is masked; larger ones are refused. */
  int maxBytes() {
    return maxBytes;
  }

  /** A whole response body (or one watch event) for the caller; refused when it cannot be masked reliably. */
  Result body(String contentType, Buffer bytes, boolean secrets) {
    if (bytes.length() == 0) {
      return unchanged(bytes, contentType);
    }
    if (bytes.length() > maxBytes) {
      return Result.refuse("it is larger than " + maxBytes + " bytes");
    }
    byte[] raw = bytes.getBytes();
    if (KubeContent.classify(contentType) == ContentKind.PROTOBUF) {
      String json = KubeContent.toRecordableText(contentType, raw);
      if (json == null) {
        return Result.refuse("the API server answered in protobuf that Vigil cannot decode");
      }
      return of(masker.mask("application/json", json, secrets), bytes, contentType, "application/json", false);
    }
    String text = Utf8.strict(raw);
    if (text == null) {
      return secrets ? Result.refuse("a Secret response that is not text") : bytes(bytes, contentType);
    }
    return of(masker.mask(contentType, text, secrets), bytes, contentType, contentType, text.endsWith("\n"));
  }

  /**
   * A piece of a text stream (log lines, exec output) for the caller: never refused — a piece that looks like a Secret
   * but does not parse is replaced by its {@code masked:k8s-secret-body:…} token, as the recording does.
   */
  Result text(String contentType, Buffer bytes) {
    String text = Utf8.strict(bytes.getBytes());
    if (text == null) {
      return bytes(bytes, contentType);
    }
    MaskResult r = masker.mask(contentType, text, false);
    if (!r.masked()) {
      return unchanged(bytes, contentType);
    }
    return new Result(Buffer.buffer(withNewline(r.text(), text.endsWith("\n"))), contentType,
        BodyMasking.findings(r.findings()), true, null);
  }

  private static Result of(MaskResult r, Buffer original, String originalType, String maskedType, boolean newline) {
    if (r.withheld()) {
      return Result.refuse("the body looks like a Secret but could not be parsed");
    }
    if (r.truncated()) {
      return Result.refuse("it is too large to be masked whole");
    }
    if (!r.masked()) {
      return unchanged(original, originalType);
    }
    return new Result(Buffer.buffer(withNewline(r.text(), newline)), maskedType, BodyMasking.findings(r.findings()),
        true, null);
  }

  /** Bytes that are not UTF-8: the detectors over them read as ISO-8859-1, so every other byte is kept as it is. */
  private Result bytes(Buffer bytes, String contentType) {
    Detectors.Masked m = Detectors.mask(bytes.toString(StandardCharsets.ISO_8859_1), "", fingerprinter);
    if (!m.changed()) {
      return unchanged(bytes, contentType);
    }
    return new Result(Buffer.buffer(m.text().getBytes(StandardCharsets.ISO_8859_1)), contentType,
        BodyMasking.findings(m.findings()), true, null);
  }

  private static Result unchanged(Buffer bytes, String contentType) {
    return new Result(bytes, contentType, List.of(), false, null);
  }

  private static String withNewline(String text, boolean newline) {
    return newline && !text.endsWith("\n") ? text + "\n" : text;
  }


}

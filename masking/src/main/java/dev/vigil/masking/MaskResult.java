package dev.vigil.masking;

import java.util.List;

/**
 * The text to record and what was masked in it.
 *
 * @param text      the masked text (compact JSON when the input parsed as JSON/YAML)
 * @param findings  one per masked value (plus one per line of multi-line Secret values)
 * @param structured true when the input was parsed (JSON or YAML) and re-serialised
 * @param truncated true when the input was longer than the masker's cap and only its first part is in {@code text}
 * @param withheld  true when the whole text was replaced by one token because it could not be masked reliably
 *                  (a Secret body that does not parse)
 */
public record MaskResult(String text, List<Finding> findings, boolean structured, boolean truncated,
                         boolean withheld) {
    public MaskResult {
        findings = List.copyOf(findings);
    }

    /** For {@code Body.masked}: something was replaced. */
    public boolean masked() {
        return !findings.isEmpty();
    }
}

package dev.vigil.masking;

import java.util.Objects;

/**
 * A sensitive value that was masked: what it was ({@code kind}, e.g. {@code k8s-secret}, {@code jwt}), where it was
 * ({@code location}, e.g. {@code items[0].data.tls.key#line3} or {@code @120} for a character offset in plain text)
 * and its keyed fingerprint. Never carries the value. Mirrors the Avro {@code Finding} record.
 */
public record Finding(String kind, String location, String fingerprint) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}

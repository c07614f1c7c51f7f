package dev.vigil.streams.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.kafka.common.serialization.Serde;

import dev.vigil.schema.Identity;

/**
 * A fingerprint seen by one identity (cross-channel-exfiltration): read through Kubernetes ({@code read}) or sent to
 * an LLM. {@code via} is {@code "get secrets"} or {@code "POST /v1/messages"}; {@code namespace}/{@code name} name the
 * Secret (reads only); {@code alerted} marks a read already reported. Fingerprints, kinds, locations and names only:
 * no value, no body.
 */
record Sighting(boolean read, String eventId, String sessionKey, long time, Identity identity, String kind,
    String location, String fingerprint, String namespace, String name, String via, boolean allowed,
    boolean alerted) {

  static final Serde<Sighting> SERDE = StateSerde.of("sighting", 1, Sighting::write, Sighting::read);

  Sighting reported() {
    return new Sighting(read, eventId, sessionKey, time, identity, kind, location, fingerprint, namespace, name, via,
        allowed, true);
  }

  private static void write(DataOutputStream out, Sighting s) throws IOException {
    out.writeBoolean(s.read());
    StateSerde.writeString(out, s.eventId());
    StateSerde.writeString(out, s.sessionKey());
    out.writeLong(s.time());
    StateSerde.writeIdentity(out, s.identity());
    StateSerde.writeString(out, s.kind());
    StateSerde.writeString(out, s.location());
    StateSerde.writeString(out, s.fingerprint());
    StateSerde.writeString(out, s.namespace());
    StateSerde.writeString(out, s.name());
    StateSerde.writeString(out, s.via());
    out.writeBoolean(s.allowed());
    out.writeBoolean(s.alerted());
  }

  private static Sighting read(DataInputStream in) throws IOException {
    return new Sighting(in.readBoolean(), StateSerde.readString(in), StateSerde.readString(in), in.readLong(),
        StateSerde.readIdentity(in), StateSerde.readString(in), StateSerde.readString(in), StateSerde.readString(in),
        StateSerde.readString(in), StateSerde.readString(in), StateSerde.readString(in), in.readBoolean(),
        in.readBoolean());
  }
}

package dev.vigil.streams.detect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Identity;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

/** Building {@link Alert}s: deterministic ids, the common fields, descriptions. */
final class Alerts {

  private Alerts() {}

  /**
   * A name-based (type 3) UUID over the detector and the parts that identify what it saw (evidence event ids, window,
   * fingerprint...): processing the same events again yields the same alert id, so consumers can de-duplicate.
   */
  static String id(String type, String... parts) {
    StringBuilder sb = new StringBuilder("vigil-alert-v1\u0000").append(type);
    for (String p : parts) {
      sb.append('\u0000').append(p);
    }
    return UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * An alert about {@code subject} (its session key and identity); {@code sessionId} is left null for the sessionizer
   * to stamp.
   */
  static Alert alert(String id, String type, Severity severity, VigilEvent subject, long time,
      List<String> evidenceEventIds, String description, Map<String, String> attributes) {
    return alert(id, type, severity, subject.getSessionKey(), subject.getIdentity(), time, evidenceEventIds,
        description, attributes);
  }

  static Alert alert(String id, String type, Severity severity, String sessionKey, Identity identity, long time,
      List<String> evidenceEventIds, String description, Map<String, String> attributes) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(type)
        .setSeverity(severity)
        .setSessionKey(sessionKey)
        .setIdentity(Identity.newBuilder(identity).build())
        .setEvidenceEventIds(List.copyOf(evidenceEventIds))
        .setDescription(description)
        .setTime(Instant.ofEpochMilli(time))
        .setAttributes(new TreeMap<>(attributes))
        .setSessionId(null)
        .build();
  }

  /** "alice" or "alice (session alice/run-7)": who did it, for descriptions. */
  static String who(String username, String sessionKey) {
    return sessionKey == null || sessionKey.equals(username) ? username : username + " (session " + sessionKey + ")";
  }

  static String who(VigilEvent e) {
    return who(e.getIdentity() == null ? "?" : e.getIdentity().getUsername(), e.getSessionKey());
  }
}

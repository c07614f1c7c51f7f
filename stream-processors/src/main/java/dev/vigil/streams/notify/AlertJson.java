package dev.vigil.streams.notify;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Identity;

/**
 * The generic JSON body: the alert with stable field names, {@code "schema": "vigil.alert.v1"} first. Every field is
 * always present ({@code null} when unknown), so receivers can rely on the shape; new fields may be added, existing
 * ones are never renamed or removed within {@code vigil.alert.v1}.
 */
public final class AlertJson {

  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "vigil.alert.v1";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AlertJson() {}

  /** The body as an ordered map, ready for a JSON writer. */
  public static Map<String, Object> toMap(Alert alert) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", SCHEMA);
    m.put("alertId", alert.getAlertId());
    m.put("type", alert.getType());
    m.put("severity", alert.getSeverity().name());
    m.put("time", time(alert));
    m.put("timeMillis", alert.getTime().toEpochMilli());
    m.put("description", alert.getDescription());
    m.put("sessionKey", alert.getSessionKey());
    m.put("sessionId", alert.getSessionId());
    m.put("identity", identity(alert.getIdentity()));
    m.put("evidenceEventIds", List.copyOf(alert.getEvidenceEventIds()));
    m.put("attributes", new TreeMap<>(alert.getAttributes()));
    return m;
  }

  private static Map<String, Object> identity(Identity id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", id.getSubject());
    m.put("username", id.getUsername());
    m.put("groups", List.copyOf(id.getGroups()));
    m.put("issuer", id.getIssuer());
    m.put("authenticated", id.getAuthenticated());
    return m;
  }

  /** {@code 2025-03-01T12:00:00.123Z}: UTC, always with milliseconds. */
  static String time(Alert alert) {
    return TIME.format(alert.getTime());
  }
}

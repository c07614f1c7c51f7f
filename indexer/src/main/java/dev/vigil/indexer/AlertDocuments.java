package dev.vigil.indexer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.vigil.schema.Alert;

/**
 * Converts an {@link Alert} of {@code vigil.alerts.v1} into the document of the alerts index ({@code _id} =
 * {@code alertId}, so an alert re-emitted by the stream processors leaves one document). The shape is the contract with
 * the query API (indexer/README.md); absent values ({@code sessionId} of alerts written before schema v2) are omitted.
 */
public final class AlertDocuments {

  private AlertDocuments() {}

  /** The document id: the alert id. */
  public static String documentId(Alert alert) {
    String id = alert.getAlertId();
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("alert without an alertId");
    }
    return id;
  }

  /** The document for {@code alert} read from Kafka at {@code partition}/{@code offset}. */
  public static Map<String, Object> toDocument(Alert alert, int partition, long offset) {
    Objects.requireNonNull(alert, "alert");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("alertId", documentId(alert));
    d.put("type", alert.getType());
    d.put("severity", alert.getSeverity().name());
    d.put("sessionKey", alert.getSessionKey());
    if (alert.getSessionId() != null) {
      d.put("sessionId", alert.getSessionId());
    }
    d.put("identity", EventDocuments.identity(alert.getIdentity()));
    d.put("evidenceEventIds", List.copyOf(alert.getEvidenceEventIds()));
    d.put("description", alert.getDescription());
    d.put("time", EventDocuments.isoTime(alert.getTime()));
    d.put("timeMillis", alert.getTime().toEpochMilli());
    d.put("attributes", new TreeMap<>(alert.getAttributes()));
    d.put("kafka", EventDocuments.kafka(partition, offset));
    return d;
  }
}

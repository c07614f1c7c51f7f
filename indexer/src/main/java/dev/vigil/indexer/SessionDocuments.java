package dev.vigil.indexer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.schema.SessionSummary;

/**
 * Converts a {@link SessionSummary} of {@code vigil.sessions.v1} into the document of the sessions index (one document
 * per session, {@code _id} = {@code sessionId}). The shape is the contract with the query API (indexer/README.md);
 * absent values are omitted.
 *
 * <p>The {@code countsBy*} maps are stored as they are (not indexed); their keys are also written as keyword arrays
 * ({@code verbs}, {@code resources}, {@code namespaces}, {@code channels}) so that sessions can be filtered by them.
 */
public final class SessionDocuments {

  private SessionDocuments() {}

  /**
   * The document id: the summary's {@code sessionId}. Summaries written before schema v2 have none (empty); they cannot
   * be told apart from other sessions of the same key and are refused.
   */
  public static String documentId(SessionSummary summary) {
    String id = summary.getSessionId();
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("session summary without a sessionId (written before SessionSummary v2)");
    }
    return id;
  }

  /** The document for {@code summary} read from Kafka at {@code partition}/{@code offset}. */
  public static Map<String, Object> toDocument(SessionSummary summary, int partition, long offset) {
    Objects.requireNonNull(summary, "summary");
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("sessionId", documentId(summary));
    d.put("sessionKey", summary.getSessionKey());
    d.put("identity", EventDocuments.identity(summary.getIdentity()));
    d.put("firstEventTime", EventDocuments.isoTime(summary.getFirstEventTime()));
    d.put("firstEventTimeMillis", summary.getFirstEventTime().toEpochMilli());
    d.put("lastEventTime", EventDocuments.isoTime(summary.getLastEventTime()));
    d.put("lastEventTimeMillis", summary.getLastEventTime().toEpochMilli());
    d.put("eventCount", summary.getEventCount());
    d.put("deniedCount", summary.getDeniedCount());
    d.put("alertCount", summary.getAlertCount());
    d.put("hasAlerts", summary.getAlertCount() > 0);
    d.put("status", summary.getStatus().name());
    d.put("verbs", keys(summary.getCountsByVerb()));
    d.put("resources", keys(summary.getCountsByResource()));
    d.put("namespaces", keys(summary.getCountsByNamespace()));
    d.put("channels", keys(summary.getCountsByChannel()));
    d.put("countsByVerb", counts(summary.getCountsByVerb()));
    d.put("countsByResource", counts(summary.getCountsByResource()));
    d.put("countsByNamespace", counts(summary.getCountsByNamespace()));
    d.put("countsByChannel", counts(summary.getCountsByChannel()));
    d.put("headDigest", summary.getHeadDigest());
    putIfNotNull(d, "signature", summary.getSignature());
    putIfNotNull(d, "signingKeyId", summary.getSigningKeyId());
    d.put("duplicatesSkipped", summary.getDuplicatesSkipped());
    d.put("kafka", EventDocuments.kafka(partition, offset));
    return d;
  }

  /** The map's keys, sorted (Avro maps have CharSequence keys). */
  private static List<String> keys(Map<? extends CharSequence, Long> counts) {
    List<String> out = new ArrayList<>(counts.size());
    counts.keySet().forEach(k -> out.add(k.toString()));
    out.sort(null);
    return out;
  }

  private static Map<String, Object> counts(Map<? extends CharSequence, Long> counts) {
    Map<String, Object> out = new LinkedHashMap<>();
    keys(counts).forEach(k -> out.put(k, counts.get(k)));
    return out;
  }

  private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}

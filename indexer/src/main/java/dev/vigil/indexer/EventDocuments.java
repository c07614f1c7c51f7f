package dev.vigil.indexer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.schema.Body;
import dev.vigil.schema.Finding;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.LlmRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;

/**
 * Converts a {@link VigilEvent} into the JSON document stored in OpenSearch. The document shape is the contract with the
 * query API and is described in {@code indexer/README.md}; absent (null) values are omitted, never written as null.
 *
 * <p>Body content is capped again at {@code maxBodyChars} characters; {@code bodyTruncated} is true whenever the stored
 * content is not the whole body (cut by the gateway or by the indexer), {@code body.cappedByIndexer} says which, and
 * {@code bodyTruncatedAt} records the cap (in characters) the indexer applied, so that the document can be re-derived
 * from {@code raw} with the same cap.
 */
public final class EventDocuments {

  /** Values of the {@code type} field. */
  public static final String TYPE_REQUEST = "request";
  public static final String TYPE_RESPONSE = "response";
  public static final String TYPE_FRAME = "frame";
  public static final String TYPE_ERROR = "error";
  /** A {@link RecordingGap}: events of the session the gateway could not record. */
  public static final String TYPE_GAP = "gap";

  /** The field holding the base64 of the Kafka record value. */
  public static final String RAW = "raw";

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private EventDocuments() {}

  /** The document id: the event id, so that writing the same event twice leaves one document. */
  public static String documentId(VigilEvent event) {
    return event.getEventId();
  }

  /** The daily index for an event time: {@code <prefix>-YYYY.MM.DD} (UTC). */
  public static String indexName(String prefix, Instant time) {
    return prefix + "-" + DAY.format(time);
  }

  /** ISO-8601 UTC with milliseconds, e.g. {@code 2025-03-01T12:00:00.000Z}. */
  public static String isoTime(Instant time) {
    return ISO_MILLIS.format(time);
  }

  /**
   * The document for {@code event} read from Kafka at {@code partition}/{@code offset}: as {@link #toDocument(VigilEvent,
   * int)} plus {@code kafka.partition} and {@code kafka.offset}. Events are keyed by session, so within a session the
   * offset order is the order the gateways recorded them in, whichever gateway instance did ({@code sequence} is only
   * per gateway instance).
   */
  public static Map<String, Object> toDocument(VigilEvent event, int maxBodyChars, int partition, long offset) {
    Map<String, Object> d = toDocument(event, maxBodyChars);
    d.put("kafka", kafka(partition, offset));
    return d;
  }

  /** The {@code kafka} object: where the document's record was read. */
  static Map<String, Object> kafka(int partition, long offset) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("partition", partition);
    k.put("offset", offset);
    return k;
  }

  /**
   * The document as the indexer stores it: as {@link #toDocument(VigilEvent, int, int, long)} plus {@code raw}, the
   * base64 of {@code recordValue} (the exact Kafka record value the event was decoded from, Avro single-object
   * encoding), so that a reader can re-verify the session's hash chain and re-derive the document.
   */
  public static Map<String, Object> toDocument(VigilEvent event, byte[] recordValue, int maxBodyChars, int partition,
      long offset) {
    Objects.requireNonNull(recordValue, "recordValue");
    Map<String, Object> d = toDocument(event, maxBodyChars, partition, offset);
    d.put(RAW, Base64.getEncoder().encodeToString(recordValue));
    return d;
  }

  /**
   * The document for {@code event}; body content longer than {@code maxBodyChars} characters is cut and flagged
   * ({@code body.cappedByIndexer}, {@code bodyTruncated}) and the cap recorded in {@code bodyTruncatedAt}.
   */
  public static Map<String, Object> toDocument(VigilEvent event, int maxBodyChars) {
    Objects.requireNonNull(event, "event");
    if (maxBodyChars < 0) {
      throw new IllegalArgumentException("maxBodyChars must be >= 0");
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("eventId", event.getEventId());
    d.put("sessionKey", event.getSessionKey());
    d.put("sequence", event.getSequence());
    Instant time = event.getTime();
    d.put("time", isoTime(time));
    d.put("timeMillis", time.toEpochMilli());
    d.put("channel", event.getChannel().name());
    d.put("type", type(event.getPayload()));
    d.put("identity", identity(event.getIdentity()));
    d.put("gatewayId", event.getGatewayId());

    RequestRef r = event.getRequest();
    d.put("requestId", r.getRequestId());
    d.put("method", r.getMethod());
    d.put("path", r.getPath());
    putIfNotNull(d, "query", r.getQuery());
    putIfNotNull(d, "sourceAddress", r.getSourceAddress());
    putIfNotNull(d, "userAgent", r.getUserAgent());
    if (r.getKubernetes() != null) {
      d.put("k8s", kubernetes(r.getKubernetes()));
    }
    if (r.getLlm() != null) {
      d.put("llm", llm(r.getLlm()));
    }

    Object payload = event.getPayload();
    if (payload instanceof RequestReceived rr) {
      d.put("decision", decision(rr.getDecision()));
      putHeaders(d, rr.getHeaders());
      putBody(d, rr.getBody(), maxBodyChars);
      putFindings(d, rr.getFindings());
    } else if (payload instanceof ResponseCompleted rc) {
      d.put("status", rc.getStatus());
      d.put("durationMillis", rc.getDurationMillis());
      d.put("bytesToClient", rc.getBytesToClient());
      d.put("outcome", rc.getOutcome().name());
      d.put("framesRecorded", rc.getFramesRecorded());
      d.put("framesDropped", rc.getFramesDropped());
      putHeaders(d, rc.getHeaders());
      putBody(d, rc.getBody(), maxBodyChars);
      putFindings(d, rc.getFindings());
    } else if (payload instanceof StreamFrame sf) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("stream", sf.getStream().name());
      f.put("frameIndex", sf.getFrameIndex());
      f.put("direction", sf.getDirection().name());
      putIfNotNull(f, "channelNumber", sf.getChannelNumber());
      putIfNotNull(f, "watchEventType", sf.getWatchEventType());
      d.put("frame", f);
      putBody(d, sf.getData(), maxBodyChars);
      putFindings(d, sf.getFindings());
    } else if (payload instanceof UpstreamError ue) {
      d.put("status", ue.getStatusToClient());
      d.put("durationMillis", ue.getDurationMillis());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("errorType", ue.getErrorType());
      e.put("message", ue.getMessage());
      d.put("error", e);
    } else if (payload instanceof RecordingGap g) {
      d.put("gap", gap(g));
    }
    return d;
  }

  /** The {@code type} value for a payload. */
  public static String type(Object payload) {
    if (payload instanceof RequestReceived) {
      return TYPE_REQUEST;
    } else if (payload instanceof ResponseCompleted) {
      return TYPE_RESPONSE;
    } else if (payload instanceof StreamFrame) {
      return TYPE_FRAME;
    } else if (payload instanceof UpstreamError) {
      return TYPE_ERROR;
    } else if (payload instanceof RecordingGap) {
      return TYPE_GAP;
    }
    throw new IllegalArgumentException("Unknown payload type " + (payload == null ? "null" : payload.getClass().getName()));
  }

  private static Map<String, Object> gap(RecordingGap g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventsLost", g.getEventsLost());
    m.put("bytesLost", g.getBytesLost());
    m.put("requestsLost", g.getRequestsLost());
    m.put("framesLost", g.getFramesLost());
    m.put("terminalsLost", g.getTerminalsLost());
    m.put("firstLostAt", isoTime(g.getFirstLostAt()));
    m.put("lastLostAt", isoTime(g.getLastLostAt()));
    m.put("firstLostSequence", g.getFirstLostSequence());
    m.put("lastLostSequence", g.getLastLostSequence());
    m.put("reason", g.getReason().name());
    m.put("lostRequestIds", List.copyOf(g.getLostRequestIds()));
    m.put("requestIdsOmitted", g.getRequestIdsOmitted());
    return m;
  }

  /** The {@code identity} object shared by event, session and alert documents. */
  static Map<String, Object> identity(Identity id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", id.getSubject());
    m.put("username", id.getUsername());
    m.put("groups", List.copyOf(id.getGroups()));
    putIfNotNull(m, "issuer", id.getIssuer());
    m.put("authenticated", id.getAuthenticated());
    return m;
  }

  private static Map<String, Object> kubernetes(KubernetesRequestInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verb", k.getVerb());
    m.put("apiGroup", k.getApiGroup());
    putIfNotNull(m, "apiVersion", k.getApiVersion());
    putIfNotNull(m, "resource", k.getResource());
    putIfNotNull(m, "subresource", k.getSubresource());
    putIfNotNull(m, "namespace", k.getNamespace());
    putIfNotNull(m, "name", k.getName());
    m.put("resourceRequest", k.getResourceRequest());
    return m;
  }

  private static Map<String, Object> llm(LlmRequestInfo l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", l.getProvider());
    m.put("operation", l.getOperation());
    putIfNotNull(m, "model", l.getModel());
    m.put("stream", l.getStream());
    return m;
  }

  private static Map<String, Object> decision(PolicyDecision p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("effect", p.getEffect().name());
    putIfNotNull(m, "ruleId", p.getRuleId());
    putIfNotNull(m, "reason", p.getReason());
    m.put("strict", p.getStrict());
    return m;
  }

  private static void putHeaders(Map<String, Object> d, Map<String, String> headers) {
    if (headers != null && !headers.isEmpty()) {
      d.put("headers", new LinkedHashMap<>(headers));
    }
  }

  private static void putBody(Map<String, Object> d, Body body, int maxBodyChars) {
    if (body == null) {
      return;
    }
    String content = body.getContent();
    boolean capped = content.length() > maxBodyChars;
    if (capped) {
      int end = maxBodyChars;
      if (end > 0 && Character.isHighSurrogate(content.charAt(end - 1))) {
        end--; // never split a surrogate pair
      }
      content = content.substring(0, end);
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("content", content);
    putIfNotNull(b, "contentType", body.getContentType());
    b.put("encoding", body.getEncoding().name());
    b.put("originalSize", body.getOriginalSize());
    b.put("truncated", body.getTruncated());
    b.put("masked", body.getMasked());
    b.put("cappedByIndexer", capped);
    d.put("body", b);
    d.put("bodyTruncated", capped || body.getTruncated());
    if (capped) {
      d.put("bodyTruncatedAt", maxBodyChars);
    }
  }

  private static void putFindings(Map<String, Object> d, List<Finding> findings) {
    if (findings == null || findings.isEmpty()) {
      return;
    }
    List<Map<String, Object>> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", f.getKind());
      m.put("location", f.getLocation());
      m.put("fingerprint", f.getFingerprint());
      out.add(m);
    }
    d.put("findings", out);
  }

  private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}

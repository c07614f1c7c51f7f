package dev.vigil.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.vigil.indexer.EventDocuments;
import dev.vigil.indexer.impl.IndexTemplate;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

/**
 * The data the UI browser test looks at, written straight into OpenSearch in the shapes of ISSUE6-CONTRACT.md (what the
 * indexer will write): event documents in {@code vigil-events-YYYY.MM.DD} (built by the indexer's own
 * {@link EventDocuments} from real Avro events, plus {@code raw} = base64 of the exact record value), session summaries
 * in {@code vigil-sessions} (hash chain over those raw values, head signed with Ed25519, as the stream processors do)
 * and alerts in {@code vigil-alerts}.
 *
 * <ul>
 *   <li>Session A {@value #SESSION_A_KEY} (CLOSED, signed): pod list, a denied secret read, a configmap whose body is a
 *       {@code <script>} payload, an interactive exec (EXEC frames, a {@code <script>} echoed in the terminal), an LLM
 *       prompt/reply, an AWS key in a configmap; alerts exec-into-pod and secret-leakage (description with a
 *       {@code <script>} payload).</li>
 *   <li>Session B {@value #SESSION_B_KEY} (OPEN, same identity, no alert).</li>
 *   <li>Session C {@value #SESSION_C_KEY} (CLOSED, signed, another identity): three deletes, one denied, a deny-burst
 *       alert — and its third stored document was tampered with after indexing (DENY rewritten to ALLOW), so verifying
 *       it must report that event as the first divergent one.</li>
 * </ul>
 *
 * The browser script (src/test/ui/ui-test.mjs) expects exactly these keys, identities and texts.
 */
final class UiSeedData {

  static final String EVENTS_INDEX_PREFIX = "vigil-events";
  static final String SESSIONS_INDEX = "vigil-sessions";
  static final String ALERTS_INDEX = "vigil-alerts";
  /** The indexer's body cap; the documents here are derived with it (bodies are far shorter). */
  static final int MAX_BODY_CHARS = 65_536;

  static final String AGENT = "ui-agent-7";
  static final String BOB = "ui-dev-bob";
  static final String SESSION_A_KEY = AGENT + "/incident-4711";
  static final String SESSION_B_KEY = AGENT;
  static final String SESSION_C_KEY = BOB + "/cleanup";
  static final String XSS_EVENT = "<script>window.__vigilXss='event'</script><img src=x onerror=\"window.__vigilXss='img'\">";
  static final String XSS_ALERT = "<script>window.__vigilXss='alert'</script>";
  static final String XSS_CAST = "<script>window.__vigilXss='cast'</script>";
  /**
   * More stored payloads (the browser script checks each is shown as text and none ran): one per line of a configmap
   * body. No double quotes or backslashes, so the JSON body shows each exactly as written.
   */
  static final List<String> XSS_BODY = List.of(
      "<svg onload=window.__vigilXss='svg'><script>window.__vigilXss='svg2'</script></svg>",
      "</script><script>window.__vigilXss='close'</script>",
      "<a href=javascript:window.__vigilXss='jsurl'>click</a>",
      "javascript:window.__vigilXss='bare'",
      "<iframe srcdoc=<script>window.__vigilXss='iframe'</script>></iframe>",
      "<math><mi xlink:href=javascript:window.__vigilXss='math'>m</mi></math>",
      "<object data=javascript:window.__vigilXss='object'></object>",
      "\uff1cscript\uff1ewindow.__vigilXss='fullwidth'\uff1c/script\uff1e",
      "{{constructor.constructor('window.__vigilXss=1')()}}",
      "=cmd|' /C calc'!A0");
  /** Terminal output with an OSC 8 hyperlink to a script URL and an OSC 0 window title holding markup. */
  static final String OSC_CAST = "\u001b]8;;javascript:window.__vigilXss='osc8'\u0007osc8-link-text\u001b]8;;\u0007 "
      + "\u001b]0;<script>window.__vigilXss='title'</script>\u0007\u001b[4mafter-title\u001b[0m";
  /** Index (in chain order) of session C's tampered document. */
  static final int TAMPERED_INDEX = 2;

  private static final Instant T0 = Instant.parse("2025-06-14T09:12:00Z");
  private static final String ISSUER = "http://127.0.0.1:8180";
  private static final String PROMPT = "\u001b[1;32mpayments-api-0:/app$ \u001b[0m";

  /** One seeded session: its summary document, chain-ordered event documents (with raw) and alerts. */
  record SeededSession(String sessionId, JsonObject summary, List<JsonObject> events, List<JsonObject> alerts) {}

  final KeyPair signingKey;
  final List<SeededSession> sessions = new ArrayList<>();
  private final List<String> createdIndices = new ArrayList<>();
  private int eventCounter;

  UiSeedData() {
    try {
      signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    sessions.add(sessionA());
    sessions.add(sessionB());
    sessions.add(sessionC());
  }

  PublicKey publicKey() {
    return signingKey.getPublic();
  }

  SeededSession session(String sessionKey) {
    return sessions.stream().filter(s -> s.summary().getString("sessionKey").equals(sessionKey)).findFirst().orElseThrow();
  }

  // --- the sessions ---------------------------------------------------------------------------------------------------

  private SeededSession sessionA() {
    Identity id = identity(AGENT, List.of("ai-agents"));
    Chain c = new Chain(SESSION_A_KEY, id, 1, 100);
    c.exchange(T0, "list", "pods", "payments", null, "GET", null, Effect.ALLOW, null, null, 200,
        "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"payments-api-0\"}},{\"metadata\":{\"name\":\"payments-api-1\"}}]}");
    c.exchange(T0.plusSeconds(5), "get", "secrets", "kube-system", "bootstrap-token", "GET", null, Effect.DENY,
        "guardrail:secrets-only-in-allowed-namespaces", "secrets may only be read in namespaces payments, default", 403,
        "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\"}");
    c.exchange(T0.plusSeconds(12), "create", "configmaps", "default", "notes", "POST",
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"notes\"},\"data\":{\"note\":\"" + XSS_EVENT.replace("\"", "\\\"") + "\"}}",
        Effect.ALLOW, null, null, 201, null);
    // an interactive shell: kubectl exec -it payments-api-0 -n payments -- sh
    Instant exec = T0.plusSeconds(20);
    VigilEvent execRequest = c.request(exec, "create", "pods", "exec", "payments", "payments-api-0", "POST",
        "command=sh&stdin=true&stdout=true&tty=true", null, Effect.ALLOW, "recorded-exec-payments", null, true);
    String rid = execRequest.getRequest().getRequestId();
    c.frame(rid, exec, 500, 0, Direction.TO_CLIENT, 1, PROMPT);
    c.frame(rid, exec, 2_000, 1, Direction.TO_UPSTREAM, 0, "ls\r");
    c.frame(rid, exec, 2_100, 2, Direction.TO_CLIENT, 1, "ls\r\napp.jar  config  logs\r\n" + PROMPT);
    c.frame(rid, exec, 5_000, 3, Direction.TO_UPSTREAM, 0, "cat config/db.yaml\r");
    c.frame(rid, exec, 5_200, 4, Direction.TO_CLIENT, 1,
        "cat config/db.yaml\r\nhost: db.payments.svc\r\nuser: payments\r\npassword: masked:k8s-secret:9f2c41\r\n" + PROMPT);
    c.frame(rid, exec, 9_000, 5, Direction.TO_UPSTREAM, 0, "echo \"" + XSS_CAST + "\"\r");
    c.frame(rid, exec, 9_100, 6, Direction.TO_CLIENT, 1, "echo \"" + XSS_CAST + "\"\r\n" + XSS_CAST + "\r\n" + PROMPT);
    c.frame(rid, exec, 10_000, 7, Direction.TO_CLIENT, 1, OSC_CAST + "\r\n" + PROMPT);
    c.frame(rid, exec, 13_000, 8, Direction.TO_UPSTREAM, 0, "exit\r");
    c.frame(rid, exec, 13_100, 9, Direction.TO_CLIENT, 1, "exit\r\n");
    c.response(execRequest, exec.plusMillis(13_200), 101, null, 10);
    // the agent asks its model about what it saw
    c.llm(T0.plusSeconds(40), "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the payments DB config\"}]}",
        "{\"content\":[{\"type\":\"text\",\"text\":\"The payments DB is db.payments.svc, user payments; the password is masked.\"}]}");
    c.exchange(T0.plusSeconds(45), "create", "configmaps", "default", "payloads", "POST",
        new JsonObject().put("kind", "ConfigMap").put("metadata", new JsonObject().put("name", "payloads"))
            .put("data", new JsonObject().put("lines", String.join(" | ", XSS_BODY))).encode(),
        Effect.ALLOW, null, null, 201, null);
    VigilEvent leak = c.exchange(T0.plusSeconds(50), "create", "configmaps", "default", "leak", "POST",
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"leak\"},\"data\":{\"key\":\"AKIAZ7XQ3VJ4MN2P8RTW\"}}",
        Effect.ALLOW, null, null, 201, null);
    c.alert(exec.plusMillis(100), "exec-into-pod", "MEDIUM", List.of(execRequest.getEventId()),
        "ui-agent-7 opened an interactive exec into payments/payments-api-0 (sh)", Map.of("namespace", "payments", "pod", "payments-api-0"));
    c.alert(T0.plusSeconds(50).plusMillis(100), "secret-leakage", "HIGH", List.of(leak.getEventId()),
        "AWS access key id written to configmaps/leak in default; the same session wrote: " + XSS_ALERT,
        Map.of("kind", "aws-access-key-id", "location", "body.data.key"));
    return c.close("CLOSED");
  }

  private SeededSession sessionB() {
    Identity id = identity(AGENT, List.of("ai-agents"));
    Chain c = new Chain(SESSION_B_KEY, id, 2, 40);
    Instant t = T0.plusSeconds(600);
    c.exchange(t, "list", "pods", "default", null, "GET", null, Effect.ALLOW, null, null, 200, "{\"kind\":\"PodList\",\"items\":[]}");
    c.exchange(t.plusSeconds(3), "get", "deployments", "payments", "payments-api", "GET", null, Effect.ALLOW, null, null, 200,
        "{\"kind\":\"Deployment\",\"spec\":{\"replicas\":2}}");
    return c.close("OPEN");
  }

  private SeededSession sessionC() {
    Identity id = identity(BOB, List.of("developers"));
    Chain c = new Chain(SESSION_C_KEY, id, 0, 7);
    Instant t = T0.plusSeconds(1800);
    c.exchange(t, "delete", "pods", "staging", "web-1", "DELETE", null, Effect.ALLOW, null, null, 200, null);
    VigilEvent denied = c.request(t.plusSeconds(2), "delete", "pods", null, "prod", "web-1", "DELETE", null, null, Effect.DENY,
        "no-deletes-in-prod", "deleting pods in prod needs a change ticket", false);
    c.response(denied, t.plusSeconds(2).plusMillis(5), 403, "{\"kind\":\"Status\",\"reason\":\"Forbidden\"}", 0);
    c.alert(t.plusSeconds(3), "deny-burst", "LOW", List.of(denied.getEventId()),
        "ui-dev-bob was denied a delete in prod", Map.of("namespace", "prod"));
    SeededSession s = c.close("CLOSED");
    // tampering after the fact: someone rewrote the stored decision of the denied request (chain index 2) to ALLOW
    JsonObject doc = s.events().get(TAMPERED_INDEX);
    if (!"DENY".equals(doc.getJsonObject("decision").getString("effect"))) {
      throw new IllegalStateException("seed data changed: chain index " + TAMPERED_INDEX + " is not the denied request");
    }
    doc.getJsonObject("decision").put("effect", "ALLOW").remove("ruleId");
    return s;
  }

  private static Identity identity(String name, List<String> groups) {
    return Identity.newBuilder().setSubject(name).setUsername(name).setGroups(groups).setIssuer(ISSUER).build();
  }

  // --- building a session: events in chain order, documents, summary, alerts ------------------------------------------

  /** Builds one session's events as the gateway records them and their documents as the indexer stores them. */
  private final class Chain {
    final String sessionKey;
    final Identity identity;
    final int partition;
    long offset;
    long sequence;
    final List<VigilEvent> events = new ArrayList<>();
    final List<JsonObject> docs = new ArrayList<>();
    final List<byte[]> raw = new ArrayList<>();
    final List<JsonObject> alerts = new ArrayList<>();

    Chain(String sessionKey, Identity identity, int partition, long firstOffset) {
      this.sessionKey = sessionKey;
      this.identity = identity;
      this.partition = partition;
      this.offset = firstOffset;
    }

    VigilEvent exchange(Instant t, String verb, String resource, String namespace, String name, String method,
        String requestBody, Effect effect, String ruleId, String reason, int status, String responseBody) {
      VigilEvent req = request(t, verb, resource, null, namespace, name, method, null, requestBody, effect, ruleId, reason, false);
      response(req, t.plusMillis(effect == Effect.DENY ? 3 : 180), status, responseBody, 0);
      return req;
    }

    VigilEvent request(Instant t, String verb, String resource, String subresource, String namespace, String name,
        String method, String query, String body, Effect effect, String ruleId, String reason, boolean strict) {
      String path = "/api/v1/namespaces/" + namespace + "/" + resource + (name == null ? "" : "/" + name)
          + (subresource == null ? "" : "/" + subresource);
      RequestRef ref = RequestRef.newBuilder()
          .setRequestId(uuid("request"))
          .setMethod(method)
          .setPath(path)
          .setQuery(query)
          .setSourceAddress("127.0.0.1")
          .setUserAgent("kubectl/v1.33.1 (linux/amd64)")
          .setKubernetes(KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb(verb).setApiGroup("")
              .setApiVersion("v1").setResource(resource).setSubresource(subresource).setNamespace(namespace).setName(name).build())
          .build();
      return add(envelope(t, Channel.KUBERNETES, ref).setPayload(RequestReceived.newBuilder()
          .setHeaders(Map.of("Accept", "application/json"))
          .setBody(body == null ? null : text(body, "application/json"))
          .setDecision(PolicyDecision.newBuilder().setEffect(effect).setRuleId(ruleId).setReason(reason).setStrict(strict).build())
          .setFindings(List.of())
          .build()).build());
    }

    void response(VigilEvent request, Instant t, int status, String body, long frames) {
      add(envelope(t, request.getChannel(), request.getRequest()).setPayload(ResponseCompleted.newBuilder()
          .setStatus(status)
          .setHeaders(Map.of())
          .setBody(body == null ? null : text(body, "application/json"))
          .setDurationMillis(Duration.between(request.getTime(), t).toMillis())
          .setBytesToClient(body == null ? 0 : body.length())
          .setFindings(List.of())
          .setOutcome(ResponseOutcome.COMPLETED)
          .setFramesRecorded(frames)
          .setFramesDropped(0)
          .build()).build());
    }

    void frame(String requestId, Instant start, long afterMillis, long index, Direction direction, int channel, String data) {
      VigilEvent req = events.stream().filter(e -> e.getRequest().getRequestId().equals(requestId)).findFirst().orElseThrow();
      add(envelope(start.plusMillis(afterMillis), Channel.KUBERNETES, req.getRequest()).setPayload(StreamFrame.newBuilder()
          .setStream(StreamKind.EXEC)
          .setFrameIndex(index)
          .setDirection(direction)
          .setChannelNumber(channel)
          .setData(text(data, null))
          .setFindings(List.of())
          .build()).build());
    }

    void llm(Instant t, String prompt, String reply) {
      RequestRef ref = RequestRef.newBuilder().setRequestId(uuid("request")).setMethod("POST").setPath("/v1/messages")
          .setSourceAddress("127.0.0.1").setUserAgent("agent-sdk/1.0").build();
      VigilEvent req = add(envelope(t, Channel.LLM, ref).setPayload(RequestReceived.newBuilder()
          .setHeaders(Map.of()).setBody(text(prompt, "application/json"))
          .setDecision(PolicyDecision.newBuilder().setEffect(Effect.ALLOW).build()).setFindings(List.of()).build()).build());
      response(req, t.plusSeconds(2), 200, reply, 0);
    }

    void alert(Instant t, String type, String severity, List<String> evidence, String description, Map<String, String> attributes) {
      JsonObject a = new JsonObject()
          .put("alertId", uuid("alert"))
          .put("type", type)
          .put("severity", severity)
          .put("sessionKey", sessionKey)
          .put("identity", identityJson(identity))
          .put("evidenceEventIds", new JsonArray(evidence))
          .put("description", description)
          .put("time", EventDocuments.isoTime(t))
          .put("timeMillis", t.toEpochMilli())
          .put("attributes", new JsonObject(new LinkedHashMap<>(attributes)))
          .put("kafka", new JsonObject().put("partition", partition).put("offset", 5_000 + alerts.size()));
      alerts.add(a);
    }

    private VigilEvent.Builder envelope(Instant t, Channel channel, RequestRef ref) {
      return VigilEvent.newBuilder()
          .setEventId(uuid("event"))
          .setSessionKey(sessionKey)
          .setSequence(++sequence)
          .setTime(t)
          .setChannel(channel)
          .setIdentity(identity)
          .setGatewayId("gw-1")
          .setRequest(ref);
    }

    private VigilEvent add(VigilEvent e) {
      byte[] value = VigilSerdes.events().encode(e);
      JsonObject doc = new JsonObject(Json.encode(EventDocuments.toDocument(e, MAX_BODY_CHARS, partition, offset++)));
      doc.put("raw", Base64.getEncoder().encodeToString(value));
      events.add(e);
      docs.add(doc);
      raw.add(value);
      return e;
    }

    /** The summary as the stream processors publish it (counts, chain head, Ed25519 signature once CLOSED). */
    SeededSession close(String status) {
      String sessionId = sessionKey + "#" + events.get(0).getEventId();
      String head = headDigest(sessionId, raw);
      Map<String, Long> verbs = new TreeMap<>();
      Map<String, Long> resources = new TreeMap<>();
      Map<String, Long> namespaces = new TreeMap<>();
      Map<String, Long> channels = new TreeMap<>();
      long denied = 0;
      for (VigilEvent e : events) {
        channels.merge(e.getChannel().name(), 1L, Long::sum);
        KubernetesRequestInfo k = e.getRequest().getKubernetes();
        if (k != null && e.getPayload() instanceof RequestReceived) {
          verbs.merge(k.getVerb(), 1L, Long::sum);
          if (k.getResource() != null) {
            resources.merge(k.getResource(), 1L, Long::sum);
          }
          if (k.getNamespace() != null) {
            namespaces.merge(k.getNamespace(), 1L, Long::sum);
          }
        }
        if (e.getPayload() instanceof RequestReceived rr && rr.getDecision().getEffect() == Effect.DENY) {
          denied++;
        }
      }
      Instant first = events.get(0).getTime();
      Instant last = events.get(events.size() - 1).getTime();
      JsonObject s = new JsonObject()
          .put("sessionId", sessionId)
          .put("sessionKey", sessionKey)
          .put("identity", identityJson(identity))
          .put("firstEventTime", EventDocuments.isoTime(first))
          .put("lastEventTime", EventDocuments.isoTime(last))
          .put("firstEventTimeMillis", first.toEpochMilli())
          .put("lastEventTimeMillis", last.toEpochMilli())
          .put("eventCount", (long) events.size())
          .put("deniedCount", denied)
          .put("alertCount", (long) alerts.size())
          .put("hasAlerts", !alerts.isEmpty())
          .put("status", status)
          .put("verbs", new JsonArray(new ArrayList<>(verbs.keySet())))
          .put("resources", new JsonArray(new ArrayList<>(resources.keySet())))
          .put("namespaces", new JsonArray(new ArrayList<>(namespaces.keySet())))
          .put("channels", new JsonArray(new ArrayList<>(channels.keySet())))
          .put("countsByVerb", new JsonObject(new LinkedHashMap<>(verbs)))
          .put("countsByResource", new JsonObject(new LinkedHashMap<>(resources)))
          .put("countsByNamespace", new JsonObject(new LinkedHashMap<>(namespaces)))
          .put("countsByChannel", new JsonObject(new LinkedHashMap<>(channels)))
          .put("headDigest", head)
          .put("duplicatesSkipped", 0L)
          .put("kafka", new JsonObject().put("partition", partition).put("offset", 9_000 + offset));
      if ("CLOSED".equals(status)) {
        s.put("signature", sign(sessionId, events.size(), head)).put("signingKeyId", "ui-test-key");
      }
      for (JsonObject a : alerts) {
        a.put("sessionId", sessionId);
      }
      return new SeededSession(sessionId, s, docs, alerts);
    }
  }

  private String uuid(String kind) {
    return UUID.nameUUIDFromBytes(("vigil-ui-seed/" + kind + "/" + (eventCounter++)).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static Body text(String content, String contentType) {
    return Body.newBuilder().setContentType(contentType).setEncoding(BodyEncoding.TEXT).setContent(content)
        .setOriginalSize(content.getBytes(StandardCharsets.UTF_8).length).setTruncated(false).setMasked(false).build();
  }

  private static JsonObject identityJson(Identity id) {
    return new JsonObject().put("subject", id.getSubject()).put("username", id.getUsername())
        .put("groups", new JsonArray(new ArrayList<>(id.getGroups()))).put("issuer", id.getIssuer());
  }

  // --- hash chain and signature (stream-processors/README.md, "Hash chain — the canonical form") ---------------------

  /** h_0 = SHA-256("vigil-session-chain-v1\n" + sessionId); h_n = SHA-256(h_(n-1) ‖ v_n); lower-case hex of h_n. */
  static String headDigest(String sessionId, List<byte[]> values) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(("vigil-session-chain-v1\n" + sessionId).getBytes(StandardCharsets.UTF_8));
      for (byte[] v : values) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(h);
        d.update(v);
        h = d.digest();
      }
      return HexFormat.of().formatHex(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] signedMessage(String sessionId, long eventCount, String headDigest) {
    return ("vigil-session-digest-v1\n" + sessionId + "\n" + eventCount + "\n" + headDigest + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private String sign(String sessionId, long eventCount, String head) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(signingKey.getPrivate());
      s.update(signedMessage(sessionId, eventCount, head));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- writing to OpenSearch ------------------------------------------------------------------------------------------

  private static final String SESSIONS_MAPPINGS = """
      {"dynamic": false, "properties": {
        "sessionId": {"type": "keyword"}, "sessionKey": {"type": "keyword"},
        "identity": {"properties": {"subject": {"type": "keyword"}, "username": {"type": "keyword"},
                                    "groups": {"type": "keyword"}, "issuer": {"type": "keyword"}}},
        "firstEventTime": {"type": "date"}, "lastEventTime": {"type": "date"},
        "firstEventTimeMillis": {"type": "long"}, "lastEventTimeMillis": {"type": "long"},
        "eventCount": {"type": "long"}, "deniedCount": {"type": "long"}, "alertCount": {"type": "long"},
        "hasAlerts": {"type": "boolean"}, "status": {"type": "keyword"},
        "verbs": {"type": "keyword"}, "resources": {"type": "keyword"}, "namespaces": {"type": "keyword"}, "channels": {"type": "keyword"},
        "countsByVerb": {"type": "object", "enabled": false}, "countsByResource": {"type": "object", "enabled": false},
        "countsByNamespace": {"type": "object", "enabled": false}, "countsByChannel": {"type": "object", "enabled": false},
        "headDigest": {"type": "keyword", "index": false}, "signature": {"type": "keyword", "index": false},
        "signingKeyId": {"type": "keyword", "index": false}, "duplicatesSkipped": {"type": "long"},
        "kafka": {"properties": {"partition": {"type": "integer"}, "offset": {"type": "long"}}}}}
      """;
  private static final String ALERTS_MAPPINGS = """
      {"dynamic": false, "properties": {
        "alertId": {"type": "keyword"}, "type": {"type": "keyword"}, "severity": {"type": "keyword"},
        "sessionKey": {"type": "keyword"}, "sessionId": {"type": "keyword"},
        "identity": {"properties": {"subject": {"type": "keyword"}, "username": {"type": "keyword"},
                                    "groups": {"type": "keyword"}, "issuer": {"type": "keyword"}}},
        "evidenceEventIds": {"type": "keyword"},
        "description": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}},
        "time": {"type": "date"}, "timeMillis": {"type": "long"},
        "attributes": {"type": "flat_object"},
        "kafka": {"properties": {"partition": {"type": "integer"}, "offset": {"type": "long"}}}}}
      """;

  static String eventsIndex(JsonObject eventDoc) {
    return EventDocuments.indexName(EVENTS_INDEX_PREFIX, Instant.parse(eventDoc.getString("time")));
  }

  /**
   * Writes everything (refresh=true: searchable on return). Indices that do not exist yet are created with the
   * contract's mappings (events: the indexer's own mapping) and remembered, so {@link #remove} drops only those.
   */
  void write(OpenSearchRest os) {
    StringBuilder bulk = new StringBuilder();
    for (SeededSession s : sessions) {
      for (JsonObject e : s.events()) {
        String index = eventsIndex(e);
        ensureIndex(os, index, IndexTemplate.mappings().toString());
        bulk.append(new JsonObject().put("index", new JsonObject().put("_index", index).put("_id", e.getString("eventId"))).encode())
            .append('\n').append(e.encode()).append('\n');
      }
      ensureIndex(os, SESSIONS_INDEX, SESSIONS_MAPPINGS);
      bulk.append(new JsonObject().put("index", new JsonObject().put("_index", SESSIONS_INDEX).put("_id", s.sessionId())
              .put("version", s.summary().getJsonObject("kafka").getLong("offset")).put("version_type", "external")).encode())
          .append('\n').append(s.summary().encode()).append('\n');
      for (JsonObject a : s.alerts()) {
        ensureIndex(os, ALERTS_INDEX, ALERTS_MAPPINGS);
        bulk.append(new JsonObject().put("index", new JsonObject().put("_index", ALERTS_INDEX).put("_id", a.getString("alertId"))).encode())
            .append('\n').append(a.encode()).append('\n');
      }
    }
    JsonObject r = os.send("POST", "/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
    if (r.getBoolean("errors", true)) {
      throw new IllegalStateException("bulk seeding failed: " + r.encode());
    }
  }

  private void ensureIndex(OpenSearchRest os, String index, String mappings) {
    if (createdIndices.contains(index) || os.status("HEAD", "/" + index) == 200) {
      return;
    }
    os.send("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},\"mappings\":" + mappings + "}",
        "application/json");
    createdIndices.add(index);
  }

  /** Drops the indices this seeding created and deletes its documents from the ones that were already there. */
  void remove(OpenSearchRest os) {
    for (String index : createdIndices) {
      os.status("DELETE", "/" + index);
    }
    for (SeededSession s : sessions) {
      if (!createdIndices.contains(SESSIONS_INDEX)) {
        os.status("DELETE", "/" + SESSIONS_INDEX + "/_doc/" + urlEncode(s.sessionId()));
      }
      for (JsonObject a : s.alerts()) {
        if (!createdIndices.contains(ALERTS_INDEX)) {
          os.status("DELETE", "/" + ALERTS_INDEX + "/_doc/" + a.getString("alertId"));
        }
      }
      for (JsonObject e : s.events()) {
        if (!createdIndices.contains(eventsIndex(e))) {
          os.status("DELETE", "/" + eventsIndex(e) + "/_doc/" + e.getString("eventId"));
        }
      }
    }
  }

  static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A minimal synchronous OpenSearch REST client for seeding and for the contract stub. */
  static final class OpenSearchRest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    OpenSearchRest(String base) {
      this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    int status(String method, String path) {
      return exchange(method, path, null, null).statusCode();
    }

    /** Sends and returns the JSON answer; any non-2xx answer is an exception naming it. */
    JsonObject send(String method, String path, String body, String contentType) {
      HttpResponse<String> r = exchange(method, path, body, contentType);
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return new JsonObject(r.body());
    }

    /** All documents (_source) of an index, or none when it does not exist. */
    List<JsonObject> all(String index) {
      HttpResponse<String> r = exchange("POST", "/" + index + "/_search?ignore_unavailable=true&allow_no_indices=true",
          "{\"size\":10000,\"query\":{\"match_all\":{}}}", "application/json");
      if (r.statusCode() == 404) {
        return List.of();
      }
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("search " + index + " answered " + r.statusCode() + ": " + r.body());
      }
      List<JsonObject> out = new ArrayList<>();
      for (Object hit : new JsonObject(r.body()).getJsonObject("hits").getJsonArray("hits")) {
        out.add(((JsonObject) hit).getJsonObject("_source"));
      }
      return out;
    }

    private HttpResponse<String> exchange(String method, String path, String body, String contentType) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      try {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

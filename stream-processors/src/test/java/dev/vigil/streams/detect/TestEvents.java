package dev.vigil.streams.detect;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;
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

/** Realistic {@link VigilEvent}s for the detector tests, built the way the gateway records them. */
final class TestEvents {

  /** A Monday morning; windows of 1 min start on the minute. */
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private TestEvents() {}

  static Instant at(Duration offset) {
    return T0.plus(offset);
  }

  static Instant seconds(long s) {
    return T0.plusSeconds(s);
  }

  static Finding finding(String kind, String location, String fingerprint) {
    return new Finding(kind, location, fingerprint);
  }

  /** A 32-hex fingerprint derived from a label, as the gateway's HMAC would give one per value. */
  static String fp(String label) {
    return UUID.nameUUIDFromBytes(label.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
  }

  static Builder kube(String username) {
    return new Builder(username, Channel.KUBERNETES);
  }

  static Builder llm(String username) {
    return new Builder(username, Channel.LLM).method("POST").path("/v1/chat/completions");
  }

  static final class Builder {
    private final String username;
    private final Channel channel;
    private String sessionKey;
    private String eventId = UUID.randomUUID().toString();
    private String requestId = UUID.randomUUID().toString();
    private Instant time = T0;
    private String method = "GET";
    private String path;
    private String query;
    private String verb = "get";
    private String apiGroup = "";
    private String resource;
    private String subresource;
    private String namespace;
    private String name;
    private Effect effect = Effect.ALLOW;
    private String ruleId = "agents";
    private String body;
    private final List<Finding> findings = new ArrayList<>();
    private boolean authenticated = true;

    private Builder(String username, Channel channel) {
      this.username = username;
      this.channel = channel;
      this.sessionKey = username;
    }

    Builder session(String s) { this.sessionKey = username + "/" + s; return this; }
    Builder sessionKey(String s) { this.sessionKey = s; return this; }
    Builder id(String id) { this.eventId = id; return this; }
    Builder at(Instant t) { this.time = t; return this; }
    Builder method(String m) { this.method = m; return this; }
    Builder path(String p) { this.path = p; return this; }
    Builder query(String q) { this.query = q; return this; }
    Builder group(String g) { this.apiGroup = g; return this; }
    Builder ns(String n) { this.namespace = n; return this; }
    Builder name(String n) { this.name = n; return this; }
    Builder body(String json) { this.body = json; return this; }
    Builder anonymous() { this.authenticated = false; return this; }

    /** verb + resource (e.g. "pods/exec"), setting the HTTP method as kubectl would. */
    Builder call(String v, String res) {
      this.verb = v;
      int slash = res.indexOf('/');
      this.resource = slash < 0 ? res : res.substring(0, slash);
      this.subresource = slash < 0 ? null : res.substring(slash + 1);
      this.method = switch (v) {
        case "create" -> "POST";
        case "update" -> "PUT";
        case "patch" -> "PATCH";
        case "delete", "deletecollection" -> "DELETE";
        default -> "GET";
      };
      return this;
    }

    Builder allow(String rule) { this.effect = Effect.ALLOW; this.ruleId = rule; return this; }
    Builder deny(String rule) { this.effect = Effect.DENY; this.ruleId = rule; return this; }
    Builder finding(String kind, String location, String fingerprint) {
      findings.add(new Finding(kind, location, fingerprint));
      return this;
    }

    private RequestRef ref() {
      KubernetesRequestInfo k = null;
      String p = path;
      if (channel == Channel.KUBERNETES) {
        k = KubernetesRequestInfo.newBuilder().setResourceRequest(resource != null).setVerb(verb)
            .setApiGroup(apiGroup).setApiVersion("v1").setResource(resource).setSubresource(subresource)
            .setNamespace(namespace).setName(name).build();
        if (p == null) {
          p = (apiGroup.isEmpty() ? "/api/v1" : "/apis/" + apiGroup + "/v1")
              + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource
              + (name == null ? "" : "/" + name) + (subresource == null ? "" : "/" + subresource);
        }
      }
      return RequestRef.newBuilder().setRequestId(requestId).setMethod(method).setPath(p).setQuery(query)
          .setSourceAddress("10.0.0.7").setUserAgent(channel == Channel.LLM ? "agent/1.0" : "kubectl/v1.33.0")
          .setKubernetes(k).build();
    }

    private VigilEvent event(Object payload) {
      String user = authenticated ? username : "system:anonymous";
      return VigilEvent.newBuilder()
          .setEventId(eventId)
          .setSessionKey(authenticated ? sessionKey : "anonymous")
          .setSequence(1)
          .setTime(time)
          .setChannel(channel)
          .setIdentity(Identity.newBuilder().setSubject(authenticated ? "sub-" + username : user).setUsername(user)
              .setGroups(List.of("agents")).setIssuer("https://login.example.com").setAuthenticated(authenticated)
              .build())
          .setGatewayId("gw-1")
          .setRequest(ref())
          .setPayload(payload)
          .build();
    }

    private Body bodyOf(String content) {
      return content == null ? null : Body.newBuilder().setContentType("application/json")
          .setEncoding(BodyEncoding.TEXT).setContent(content).setOriginalSize(content.length())
          .setTruncated(false).setMasked(content.contains("masked:")).build();
    }

    /** The RequestReceived of the call. */
    VigilEvent request() {
      return event(RequestReceived.newBuilder()
          .setHeaders(Map.of("content-type", "application/json"))
          .setBody(bodyOf(body))
          .setDecision(PolicyDecision.newBuilder().setEffect(effect).setRuleId(ruleId)
              .setReason(effect == Effect.DENY ? "not allowed" : null).setStrict(false).build())
          .setFindings(List.copyOf(findings))
          .build());
    }

    /** The ResponseCompleted of the call (status 200, the body as given). */
    VigilEvent response() {
      return event(ResponseCompleted.newBuilder()
          .setStatus(200)
          .setHeaders(Map.of("content-type", "application/json"))
          .setBody(bodyOf(body))
          .setDurationMillis(12)
          .setBytesToClient(body == null ? 0 : body.length())
          .setFindings(List.copyOf(findings))
          .setOutcome(ResponseOutcome.COMPLETED)
          .build());
    }

    /** One frame of the call's stream (a watch event or a log chunk). */
    VigilEvent frame(StreamKind kind, long index) {
      return event(StreamFrame.newBuilder()
          .setStream(kind)
          .setFrameIndex(index)
          .setDirection(Direction.TO_CLIENT)
          .setWatchEventType(kind == StreamKind.WATCH ? "ADDED" : null)
          .setData(bodyOf(body == null ? "" : body))
          .setFindings(List.copyOf(findings))
          .build());
    }
  }
}

package dev.vigil.streams;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;

/** Events and alerts built with the generated Avro builders. */
public final class TestEvents {

  public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private TestEvents() {}

  public static Identity identity(String user) {
    return Identity.newBuilder().setSubject("sub-" + user).setUsername(user).setGroups(List.of("ai-agents"))
        .setIssuer("https://issuer.example").build();
  }

  public static KubernetesRequestInfo k8s(String verb, String resource, String subresource, String namespace) {
    return KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb(verb).setApiGroup("").setApiVersion("v1")
        .setResource(resource).setSubresource(subresource).setNamespace(namespace).setName(null).build();
  }

  private static VigilEvent.Builder envelope(String sessionKey, Instant time, Channel channel, KubernetesRequestInfo k8s) {
    String requestId = "req-" + UUID.randomUUID();
    return VigilEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionKey(sessionKey)
        .setSequence(1)
        .setTime(time)
        .setChannel(channel)
        .setIdentity(identity(sessionKey.split("/")[0]))
        .setGatewayId("gw-1")
        .setRequest(RequestRef.newBuilder().setRequestId(requestId).setMethod("GET").setPath("/api/v1/pods")
            .setKubernetes(k8s).build());
  }

  /** A Kubernetes call's RequestReceived with the given decision. */
  public static VigilEvent request(String sessionKey, Instant time, KubernetesRequestInfo k8s, Effect effect) {
    return envelope(sessionKey, time, Channel.KUBERNETES, k8s)
        .setPayload(RequestReceived.newBuilder()
            .setHeaders(Map.of())
            .setDecision(PolicyDecision.newBuilder().setEffect(effect).setRuleId(effect == Effect.DENY ? "deny-it" : null)
                .build())
            .setFindings(List.of())
            .build())
        .build();
  }

  /** An allowed {@code get pods} in {@code default}. */
  public static VigilEvent get(String sessionKey, Instant time) {
    return request(sessionKey, time, k8s("get", "pods", null, "default"), Effect.ALLOW);
  }

  /** An LLM call's RequestReceived (no Kubernetes request info). */
  public static VigilEvent llm(String sessionKey, Instant time) {
    return envelope(sessionKey, time, Channel.LLM, null)
        .setPayload(RequestReceived.newBuilder().setHeaders(Map.of())
            .setDecision(PolicyDecision.newBuilder().setEffect(Effect.ALLOW).build()).setFindings(List.of()).build())
        .build();
  }

  /** The ResponseCompleted of a {@code get pods} call. */
  public static VigilEvent response(String sessionKey, Instant time) {
    return envelope(sessionKey, time, Channel.KUBERNETES, k8s("get", "pods", null, "default"))
        .setPayload(ResponseCompleted.newBuilder().setStatus(200).setHeaders(Map.of()).setDurationMillis(3)
            .setFindings(List.of()).build())
        .build();
  }

  /** An alert about {@code evidence}, as a detector would raise it (no session id yet). */
  public static Alert alert(VigilEvent evidence) {
    return Alert.newBuilder()
        .setAlertId(UUID.randomUUID().toString())
        .setType("test-detector")
        .setSeverity(Severity.HIGH)
        .setSessionKey(evidence.getSessionKey())
        .setIdentity(evidence.getIdentity())
        .setEvidenceEventIds(List.of(evidence.getEventId()))
        .setDescription("test alert")
        .setTime(evidence.getTime())
        .setAttributes(Map.of())
        .build();
  }
}

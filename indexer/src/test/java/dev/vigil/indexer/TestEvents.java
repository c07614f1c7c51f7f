package dev.vigil.indexer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Finding;
import dev.vigil.schema.GapReason;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;

/** Builds realistic events with the generated Avro builders. */
public final class TestEvents {

  public static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123Z");

  private TestEvents() {}

  public static Identity identity(String user, String... groups) {
    return Identity.newBuilder()
        .setSubject("sub-" + user)
        .setUsername("oidc:" + user)
        .setGroups(List.of(groups))
        .setIssuer("https://issuer.example")
        .build();
  }

  public static KubernetesRequestInfo k8s(String verb, String resource, String namespace, String name) {
    return KubernetesRequestInfo.newBuilder()
        .setResourceRequest(true)
        .setVerb(verb)
        .setApiGroup("")
        .setApiVersion("v1")
        .setResource(resource)
        .setNamespace(namespace)
        .setName(name)
        .build();
  }

  public static RequestRef ref(String requestId, String method, String path, KubernetesRequestInfo k8s) {
    return RequestRef.newBuilder()
        .setRequestId(requestId)
        .setMethod(method)
        .setPath(path)
        .setQuery("limit=500")
        .setSourceAddress("127.0.0.1")
        .setUserAgent("kubectl/v1.32.0")
        .setKubernetes(k8s)
        .build();
  }

  public static Body body(String content) {
    return Body.newBuilder()
        .setContentType("application/json")
        .setEncoding(BodyEncoding.TEXT)
        .setContent(content)
        .setOriginalSize(content.length())
        .build();
  }

  public static VigilEvent.Builder envelope(String sessionKey, long sequence, Instant time, Identity identity, RequestRef ref) {
    return VigilEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionKey(sessionKey)
        .setSequence(sequence)
        .setTime(time)
        .setChannel(Channel.KUBERNETES)
        .setIdentity(identity)
        .setGatewayId("gw-1")
        .setRequest(ref);
  }

  public static RequestReceived request(String body, Effect effect) {
    return RequestReceived.newBuilder()
        .setHeaders(Map.of("Accept", "application/json"))
        .setBody(body == null ? null : body(body))
        .setDecision(PolicyDecision.newBuilder().setEffect(effect).setRuleId(effect == Effect.DENY ? "deny-secrets" : null)
            .setReason(effect == Effect.DENY ? "secrets are off limits" : null).build())
        .setFindings(List.of())
        .build();
  }

  public static ResponseCompleted response(int status, String body, List<Finding> findings) {
    return ResponseCompleted.newBuilder()
        .setStatus(status)
        .setHeaders(Map.of("Content-Type", "application/json"))
        .setBody(body == null ? null : body(body))
        .setDurationMillis(42)
        .setBytesToClient(body == null ? 0 : body.length())
        .setFindings(findings)
        .build();
  }

  public static StreamFrame frame(long index, String data) {
    return StreamFrame.newBuilder()
        .setStream(StreamKind.WATCH)
        .setFrameIndex(index)
        .setDirection(Direction.TO_CLIENT)
        .setWatchEventType("ADDED")
        .setData(body(data))
        .build();
  }

  public static UpstreamError error() {
    return UpstreamError.newBuilder()
        .setErrorType("CONNECT_FAILED")
        .setMessage("connection refused")
        .setStatusToClient(502)
        .setDurationMillis(7)
        .build();
  }

  /** A gap of 5 lost events (2 requests, 1 frame, 2 terminals) of the calls {@code requestIds}. */
  public static RecordingGap gap(String... requestIds) {
    return RecordingGap.newBuilder()
        .setEventsLost(5)
        .setBytesLost(4096)
        .setFirstLostAt(T0.minusSeconds(10))
        .setLastLostAt(T0.minusSeconds(2))
        .setReason(GapReason.SEND_FAILED)
        .setRequestsLost(2)
        .setFramesLost(1)
        .setTerminalsLost(2)
        .setFirstLostSequence(11)
        .setLastLostSequence(17)
        .setLostRequestIds(List.of(requestIds))
        .setRequestIdsOmitted(0)
        .build();
  }

  /** A simple request event: {@code verb resource/name} in {@code namespace} by {@code user}. */
  public static VigilEvent simple(String sessionKey, long sequence, Instant time, String user, String verb, String resource,
      String namespace, String name, String body) {
    String path = "/api/v1/namespaces/" + namespace + "/" + resource + (name == null ? "" : "/" + name);
    return envelope(sessionKey, sequence, time, identity(user, "dev"), ref("req-" + sequence, "GET", path,
        k8s(verb, resource, namespace, name)))
        .setPayload(request(body, Effect.ALLOW))
        .build();
  }
}

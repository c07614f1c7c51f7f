package dev.vigil.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.PolicyDecision;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.RequestRef;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;

/** Events for the query API tests, built with the generated Avro builders. */
final class TestEvents {

  private TestEvents() {}

  static VigilEvent request(String session, long seq, Instant time, String user, String verb, String resource,
      String namespace, String name, String body, Effect effect) {
    return envelope(session, seq, time, user, verb, resource, namespace, name)
        .setPayload(RequestReceived.newBuilder()
            .setHeaders(Map.of())
            .setBody(body == null ? null : body(body))
            .setDecision(PolicyDecision.newBuilder().setEffect(effect)
                .setRuleId(effect == Effect.DENY ? "no-deletes" : null).build())
            .setFindings(List.of())
            .build())
        .build();
  }

  static VigilEvent response(String session, long seq, Instant time, String user, String verb, String resource,
      String namespace, String name, int status, String body) {
    return envelope(session, seq, time, user, verb, resource, namespace, name)
        .setPayload(ResponseCompleted.newBuilder()
            .setStatus(status)
            .setHeaders(Map.of())
            .setBody(body(body))
            .setDurationMillis(12)
            .setFindings(List.of())
            .build())
        .build();
  }

  private static VigilEvent.Builder envelope(String session, long seq, Instant time, String user, String verb,
      String resource, String namespace, String name) {
    String path = "/api/v1/namespaces/" + namespace + "/" + resource + (name == null ? "" : "/" + name);
    return VigilEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSessionKey(session)
        .setSequence(seq)
        .setTime(time)
        .setChannel(Channel.KUBERNETES)
        .setIdentity(Identity.newBuilder().setSubject("sub-" + user).setUsername("oidc:" + user).setGroups(List.of("dev")).build())
        .setGatewayId("gw-1")
        .setRequest(RequestRef.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setMethod(verb.equals("delete") ? "DELETE" : "GET")
            .setPath(path)
            .setKubernetes(KubernetesRequestInfo.newBuilder()
                .setResourceRequest(true).setVerb(verb).setApiVersion("v1").setResource(resource)
                .setNamespace(namespace).setName(name).build())
            .build());
  }

  private static Body body(String content) {
    return Body.newBuilder().setContentType("application/json").setEncoding(BodyEncoding.TEXT).setContent(content)
        .setOriginalSize(content.length()).build();
  }
}

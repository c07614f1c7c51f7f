package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.schema.Channel;
import dev.vigil.schema.Effect;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;

class EventFactoryTest {

  private final SessionKeys sessions = new SessionKeys(100, Duration.ofHours(1), System::nanoTime);
  private final EventFactory factory = new EventFactory("gw-1", sessions, () -> 1_700_000_000_000L);

  private Exchange exchange() {
    Exchange ex = new Exchange(null, 0, 1_700_000_000_000L);
    ex.sessionKey = "task-1";
    ex.caller = new CallerIdentity("u-123", "alice", List.of("dev"), "https://issuer");
    KubernetesRequestInfo info = KubernetesRequestInfo.newBuilder().setResourceRequest(true).setVerb("list")
        .setApiGroup("").setApiVersion("v1").setResource("pods").setNamespace("payments").build();
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/namespaces/payments/pods", "limit=500", "127.0.0.1:5000",
        "kubectl/v1.32", info);
    return ex;
  }

  @Test
  void shouldBuildEnvelopesThatSurviveTheWireFormat() {
    Exchange ex = exchange();

    VigilEvent received = factory.requestReceived(ex, Map.of("accept", "application/json"), null, EventFactory.allow());
    VigilEvent completed = factory.responseCompleted(ex, 200, Map.of(), null, 12, 345);
    VigilEvent decoded = VigilSerdes.events().decode(VigilSerdes.events().encode(completed));

    assertThat(received.getSequence()).isEqualTo(0);
    assertThat(completed.getSequence()).isEqualTo(1);
    assertThat(received.getEventId()).isNotEqualTo(completed.getEventId());
    assertThat(received.getChannel()).isEqualTo(Channel.KUBERNETES);
    assertThat(received.getGatewayId()).isEqualTo("gw-1");
    assertThat(received.getTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(received.getIdentity().getUsername()).isEqualTo("alice");
    assertThat(received.getRequest().getRequestId()).isEqualTo(completed.getRequest().getRequestId());
    RequestReceived rr = (RequestReceived) received.getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.ALLOW);
    assertThat(rr.getDecision().getRuleId()).isNull();
    assertThat(rr.getDecision().getReason()).contains("no policy configured");
    assertThat(rr.getFindings()).isEmpty();
    assertThat(decoded).isEqualTo(completed);
    assertThat(((ResponseCompleted) decoded.getPayload()).getBytesToClient()).isEqualTo(345);
  }

  @Test
  void shouldBuildDenialsAndUpstreamErrors() {
    Exchange ex = exchange();
    ex.sessionKey = SessionKeys.ANONYMOUS;
    ex.caller = CallerIdentity.ANONYMOUS;

    VigilEvent denied = factory.requestReceived(ex, Map.of(), null,
        EventFactory.deny("authentication", "unauthenticated: token expired"));
    VigilEvent error = factory.upstreamError(ex, "CONNECT_FAILED", "ConnectException: refused", 502, 3);

    assertThat(denied.getIdentity().getSubject()).isEqualTo("system:anonymous");
    assertThat(denied.getIdentity().getIssuer()).isNull();
    assertThat(((RequestReceived) denied.getPayload()).getDecision().getRuleId()).isEqualTo("authentication");
    assertThat(((UpstreamError) error.getPayload()).getStatusToClient()).isEqualTo(502);
    assertThat(VigilSerdes.events().decode(VigilSerdes.events().encode(error))).isEqualTo(error);
  }
}

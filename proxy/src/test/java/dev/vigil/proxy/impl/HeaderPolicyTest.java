package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class HeaderPolicyTest {

  private static MultiMap callerHeaders() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer caller-token")
        .add("Impersonate-User", "system:admin")
        .add("impersonate-group", "system:masters")
        .add("Impersonate-Extra-Scopes", "x")
        .add("Impersonate-Uid", "0")
        .add("Proxy-Authorization", "Basic abc")
        .add("Proxy-Connection", "keep-alive")
        .add("Connection", "keep-alive, X-Secret-Hop")
        .add("X-Secret-Hop", "1")
        .add("Keep-Alive", "timeout=5")
        .add("TE", "trailers")
        .add("Trailer", "X-T")
        .add("Upgrade", "websocket")
        .add("X-Vigil-Session", "s1")
        .add("Cookie", "a=b")
        .add("Accept", "application/json")
        .add("User-Agent", "kubectl/v1.32.0");
  }

  @Test
  void shouldStripCallerCredentialsImpersonationAndHopByHopHeadersThenAddTheGatewayCredential() {
    MultiMap h = callerHeaders();

    new HeaderPolicy("Bearer gateway-token").prepareUpstream(h, false, CallerIdentity.ANONYMOUS);

    assertThat(h.names()).map(String::toLowerCase)
        .noneMatch(n -> n.startsWith("impersonate-") || n.startsWith("proxy-"))
        .doesNotContain("connection", "x-secret-hop", "keep-alive", "te", "trailer", "upgrade", "x-vigil-session")
        .contains("accept", "user-agent", "authorization");
    assertThat(h.getAll("Authorization")).containsExactly("Bearer gateway-token");
  }

  @Test
  void shouldKeepUpgradeForWebSockets() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Connection", "Upgrade").add("Upgrade", "websocket")
        .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io").add("Authorization", "Bearer caller");

    new HeaderPolicy("Bearer gateway-token").prepareUpstream(h, true, CallerIdentity.ANONYMOUS);

    assertThat(h.get("Upgrade")).isEqualTo("websocket");
    assertThat(h.get("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
    assertThat(h.get("Authorization")).isEqualTo("Bearer gateway-token");
  }

  @Test
  void shouldSendNoAuthorizationWhenTheGatewayUsesAClientCertificate() {
    MultiMap h = callerHeaders();

    new HeaderPolicy(null).prepareUpstream(h, false, CallerIdentity.ANONYMOUS);

    assertThat(h.contains("Authorization")).isFalse();
  }

  @Test
  void shouldRecordHeadersWithoutCredentials() {
    MultiMap h = callerHeaders().add("Accept", "application/yaml").add("Set-Cookie", "s=1");

    Map<String, String> recorded = HeaderPolicy.forRecording(h);

    assertThat(recorded).doesNotContainKeys("authorization", "proxy-authorization", "cookie", "set-cookie")
        .containsEntry("accept", "application/json, application/yaml")
        .containsEntry("user-agent", "kubectl/v1.32.0");
    assertThat(recorded.keySet()).noneMatch(k -> k.startsWith("impersonate-"));
    assertThat(recorded.toString()).doesNotContain("caller-token");
  }
}

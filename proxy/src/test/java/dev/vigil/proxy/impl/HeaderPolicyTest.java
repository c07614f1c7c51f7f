package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class HeaderPolicyTest {

  private static final CallerIdentity ALICE =
      new CallerIdentity("u-1", "corp:alice", List.of("corp:dev", "corp:ops"), "https://issuer");

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
        .add("X-Forwarded-For", "10.9.9.9")
        .add("X-Forwarded-Host", "evil.example")
        .add("X-Forwarded-Proto", "http")
        .add("Forwarded", "for=10.9.9.9")
        .add("X-Real-Ip", "10.9.9.9")
        .add("X-Remote-User", "system:admin")
        .add("X-Remote-Group", "system:masters")
        .add("Cookie", "a=b")
        .add("Accept", "application/json")
        .add("User-Agent", "kubectl/v1.32.0");
  }

  private static HeaderPolicy policy(String authorization, boolean impersonate) {
    return new HeaderPolicy(() -> authorization, impersonate);
  }

  @Test
  void shouldStripEverythingACallerCouldUseToClaimAnIdentityThenAssertTheGatewaysOwn() {
    MultiMap h = callerHeaders();

    policy("Bearer gateway-token", true).prepareUpstream(h, false, ALICE, "corp:alice/task-1", "192.0.2.7");

    assertThat(h.names()).map(String::toLowerCase)
        .noneMatch(n -> n.startsWith("proxy-") || n.startsWith("x-remote-") || n.startsWith("x-forwarded-") && !n.equals("x-forwarded-for"))
        .doesNotContain("connection", "x-secret-hop", "keep-alive", "te", "trailer", "upgrade", "x-vigil-session",
            "forwarded", "x-real-ip", "impersonate-uid", "impersonate-extra-scopes")
        .contains("accept", "user-agent", "authorization");
    assertThat(h.getAll("Authorization")).containsExactly("Bearer gateway-token");
    assertThat(h.getAll("X-Forwarded-For")).containsExactly("192.0.2.7");
    assertThat(h.getAll("Impersonate-User")).containsExactly("corp:alice");
    assertThat(h.getAll("Impersonate-Group")).containsExactly("corp:dev", "corp:ops");
    assertThat(h.getAll("Impersonate-Extra-vigil-session")).containsExactly("corp:alice/task-1");
  }

  @Test
  void shouldForwardAsTheGatewayWhenImpersonationIsOff() {
    MultiMap h = callerHeaders();

    policy("Bearer gateway-token", false).prepareUpstream(h, false, ALICE, "corp:alice", "192.0.2.7");

    assertThat(h.names()).noneMatch(n -> n.toLowerCase().startsWith("impersonate-"));
    assertThat(h.get("Authorization")).isEqualTo("Bearer gateway-token");
  }

  @Test
  void shouldKeepUpgradeForWebSocketsButNeverTheBearerSubprotocol() {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString("caller.jwt.token".getBytes(StandardCharsets.UTF_8));
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Connection", "Upgrade").add("Upgrade", "websocket")
        .add("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io." + encoded + ", v5.channel.k8s.io")
        .add("Authorization", "Bearer caller");

    policy("Bearer gateway-token", true).prepareUpstream(h, true, ALICE, "corp:alice", null);

    assertThat(h.get("Upgrade")).isEqualTo("websocket");
    assertThat(h.get("Connection")).isEqualTo("Upgrade");
    assertThat(h.getAll("Sec-WebSocket-Protocol")).containsExactly("v5.channel.k8s.io");
    assertThat(h.get("Authorization")).isEqualTo("Bearer gateway-token");
    assertThat(h.contains("X-Forwarded-For")).isFalse();
  }

  @Test
  void shouldSendNoAuthorizationWhenTheGatewayUsesAClientCertificate() {
    MultiMap h = callerHeaders();

    policy(null, true).prepareUpstream(h, false, ALICE, "corp:alice", "127.0.0.1");

    assertThat(h.contains("Authorization")).isFalse();
  }

  @Test
  void shouldEscapeExtraKeysAndCarryUtf8NamesAsRawBytes() {
    assertThat(HeaderPolicy.extraHeader("vigil-session")).isEqualTo("Impersonate-Extra-vigil-session");
    assertThat(HeaderPolicy.extraHeader("example.com/team name%")).isEqualTo("Impersonate-Extra-example.com%2Fteam%20name%25");
    String value = HeaderPolicy.headerValue("jürgen");
    assertThat(value.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo("jürgen".getBytes(StandardCharsets.UTF_8));
    assertThat(HeaderPolicy.headerValue("alice")).isEqualTo("alice");
  }

  @Test
  void shouldRecordHeadersWithoutCredentials() {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString("ws-secret".getBytes(StandardCharsets.UTF_8));
    MultiMap h = callerHeaders().add("Accept", "application/yaml").add("Set-Cookie", "s=1")
        .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io, base64url.bearer.authorization.k8s.io." + encoded);

    Map<String, String> recorded = HeaderPolicy.forRecording(h);

    assertThat(recorded).doesNotContainKeys("authorization", "proxy-authorization", "cookie", "set-cookie")
        .containsEntry("accept", "application/json, application/yaml")
        .containsEntry("user-agent", "kubectl/v1.32.0")
        .containsEntry("sec-websocket-protocol", "v5.channel.k8s.io");
    assertThat(recorded.keySet()).noneMatch(k -> k.startsWith("impersonate-"));
    assertThat(recorded.toString()).doesNotContain("caller-token").doesNotContain(encoded);
    assertThat(h.get("Sec-WebSocket-Protocol")).contains(encoded); // the caller's headers are left alone
  }

  @Test
  void shouldTakeTheWebSocketBearerSubprotocolAsCredentialOnlyWithoutAuthorization() throws Exception {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString("a.b.c".getBytes(StandardCharsets.UTF_8));
    MultiMap ws = MultiMap.caseInsensitiveMultiMap().add("Connection", "keep-alive, Upgrade").add("Upgrade", "websocket")
        .add("Sec-WebSocket-Protocol", "v5.channel.k8s.io").add("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io." + encoded);

    assertThat(TokenAuthenticator.credential(ws)).isEqualTo("a.b.c");
    assertThat(TokenAuthenticator.credential(MultiMap.caseInsensitiveMultiMap().addAll(ws).add("Authorization", "Bearer x.y.z")))
        .isEqualTo("x.y.z");
    MultiMap notUpgrade = MultiMap.caseInsensitiveMultiMap().addAll(ws).remove("Upgrade");
    assertThatThrownBy(() -> TokenAuthenticator.credential(notUpgrade)).hasMessage("no bearer token");
    MultiMap alone = MultiMap.caseInsensitiveMultiMap().addAll(ws).set("Sec-WebSocket-Protocol",
        "base64url.bearer.authorization.k8s.io." + encoded);
    assertThatThrownBy(() -> TokenAuthenticator.credential(alone)).hasMessageContaining("another subprotocol");
    MultiMap twice = MultiMap.caseInsensitiveMultiMap().addAll(ws).add("Sec-WebSocket-Protocol",
        "base64url.bearer.authorization.k8s.io." + encoded);
    assertThatThrownBy(() -> TokenAuthenticator.credential(twice)).hasMessageContaining("multiple");
    MultiMap garbage = MultiMap.caseInsensitiveMultiMap().addAll(ws).set("Sec-WebSocket-Protocol",
        "v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.!!!");
    assertThatThrownBy(() -> TokenAuthenticator.credential(garbage)).hasMessageContaining("encoding")
        .hasMessageNotContaining("!!!");
  }
}

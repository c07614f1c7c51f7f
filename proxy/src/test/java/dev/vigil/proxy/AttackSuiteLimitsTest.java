package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;

/**
 * Issue 9, the attack suite on the limits of a request head and body: over-long heads (at the configured limits,
 * byte for byte), heads the decoder cannot read, and slow clients (slowloris) — each refused with its Status, recorded
 * as a DENY, and never forwarded.
 */
class AttackSuiteLimitsTest {

  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_LINE_BYTES = 1024;
  static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  static final String LINE_START = "GET /api/v1/namespaces/payments/pods";

  @TempDir
  static Path dir;
  static AttackProbe probe;

  @BeforeAll
  static void start() throws Exception {
    probe = new AttackProbe(dir, Map.of(
        ProxyConfig.SERVER_MAX_HEADER_BYTES, String.valueOf(MAX_HEADER_BYTES),
        ProxyConfig.SERVER_MAX_INITIAL_LINE_BYTES, String.valueOf(MAX_LINE_BYTES),
        ProxyConfig.SERVER_REQUEST_HEADER_TIMEOUT, HEAD_TIMEOUT.toMillis() + "ms",
        ProxyConfig.SERVER_REQUEST_BODY_TIMEOUT, BODY_TIMEOUT.toMillis() + "ms"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (probe != null) {
      probe.close();
    }
  }

  @BeforeEach
  void reset() {
    probe.reset();
  }

  /** A head whose header lines (CRLF not counted) add up to {@code headerBytes}; no credentials, so 401 if read. */
  private static String headOfHeaderBytes(int headerBytes) {
    String host = "Host: x";
    String name = "X-Padding: ";
    return LINE_START + " HTTP/1.1\r\n" + host + "\r\n" + name + "p".repeat(headerBytes - host.length() - name.length())
        + "\r\n\r\n";
  }

  @Test
  void shouldReadHeadersOfExactlyTheLimit() throws Exception {
    String response = probe.raw(headOfHeaderBytes(MAX_HEADER_BYTES));

    AttackProbe.assertRawStatus(response, 401, "Unauthorized"); // the head was read: the caller has no credentials
    probe.assertDenied("authentication", 401);
  }

  @Test
  void shouldRefuseHeadersOneByteOverTheLimitWith431() throws Exception {
    String response = probe.raw(headOfHeaderBytes(MAX_HEADER_BYTES + 1));

    AttackProbe.assertRawStatus(response, 431, "RequestHeaderFieldsTooLarge");
    assertThat(response).contains("limit of " + MAX_HEADER_BYTES + " bytes");
    VigilEvent received = probe.assertDeniedAnonymously("request-size", 431);
    assertThat(received.getRequest().getPath()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(((RequestReceived) received.getPayload()).getHeaders()).doesNotContainKey("x-padding");
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldRecordTheHeadersReadBeforeTheLimitCutShort() throws Exception {
    String response = probe.raw(LINE_START + " HTTP/1.1\r\nHost: x\r\nX-Read: " + "r".repeat(MAX_HEADER_BYTES / 2)
        + "\r\nX-Next: n\r\nX-Padding: " + "p".repeat(MAX_HEADER_BYTES / 2) + "\r\n\r\n");

    AttackProbe.assertRawStatus(response, 431, "RequestHeaderFieldsTooLarge");
    VigilEvent received = probe.assertDeniedAnonymously("request-size", 431);
    // what the decoder had read: each header is kept once the next line starts, up to the one breaking the limit
    assertThat(((RequestReceived) received.getPayload()).getHeaders()).containsEntry("host", "x")
        .doesNotContainKey("x-padding");
    assertThat(((RequestReceived) received.getPayload()).getHeaders().get("x-read"))
        .startsWith("rrrr").hasSizeLessThan(300).endsWith("(" + MAX_HEADER_BYTES / 2 + " characters)");
  }

  private static String lineOf(int bytes) {
    String prefix = LINE_START + "?labelSelector=";
    String suffix = " HTTP/1.1";
    return prefix + "a".repeat(bytes - prefix.length() - suffix.length()) + suffix + "\r\nHost: x\r\n\r\n";
  }

  @Test
  void shouldReadARequestLineOfExactlyTheLimit() throws Exception {
    AttackProbe.assertRawStatus(probe.raw(lineOf(MAX_LINE_BYTES)), 401, "Unauthorized");
    probe.assertDenied("authentication", 401);
  }

  @Test
  void shouldRefuseARequestLineOneByteOverTheLimitWith414() throws Exception {
    String response = probe.raw(lineOf(MAX_LINE_BYTES + 1));

    AttackProbe.assertRawStatus(response, 414, "RequestURITooLong");
    VigilEvent received = probe.assertDeniedAnonymously("request-size", 414);
    assertThat(received.getRequest().getPath()).as("the line was never read").isEmpty();
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldRefuseAMalformedRequestLineWith400() throws Exception {
    String response = probe.raw("GET /api/v1/namespaces/payments/pods HTTP/1.1x\r\nHost: x\r\n\r\n");

    AttackProbe.assertRawStatus(response, 400, "BadRequest");
    VigilEvent received = probe.assertDeniedAnonymously("protocol", 400);
    assertThat(received.getRequest().getMethod()).isEmpty();
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldRefuseAnInvalidHeaderNameWith400() throws Exception {
    String response = probe.raw(LINE_START + " HTTP/1.1\r\nHost: x\r\nX-Bad\u0001Name: v\r\nAuthorization: Bearer "
        + probe.fx.mint("malformed") + "\r\n\r\n");

    AttackProbe.assertRawStatus(response, 400, "BadRequest");
    VigilEvent received = probe.assertDeniedAnonymously("protocol", 400);
    assertThat(received.getRequest().getMethod()).isEqualTo("GET");
    assertThat(received.getRequest().getPath()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  // ---------------------------------------------------------------- slow clients

  @Test
  void shouldCutARequestLineSentAByteAtATimeWith408() throws Exception {
    SlowClient slow = SlowClient.sending(probe, "", LINE_START + " HTTP/1.1\r\nHost: x\r\n\r\n");

    AttackProbe.assertRawStatus(slow.response(), 408, "Timeout");
    assertThat(slow.elapsed()).isBetween(HEAD_TIMEOUT, HEAD_TIMEOUT.multipliedBy(3));
    assertThat(slow.closed()).isTrue();
    VigilEvent received = probe.assertDeniedAnonymously("request-timeout", 408);
    assertThat(received.getRequest().getPath()).isEmpty();
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldCutHeadersSentAByteAtATimeWith408() throws Exception {
    String token = probe.fx.mint("slowloris");
    SlowClient slow = SlowClient.sending(probe, LINE_START + " HTTP/1.1\r\nHost: x\r\n",
        "Authorization: Bearer " + token + "\r\n\r\n");

    AttackProbe.assertRawStatus(slow.response(), 408, "Timeout");
    assertThat(slow.closed()).isTrue();
    VigilEvent received = probe.assertDeniedAnonymously("request-timeout", 408);
    assertThat(received.getRequest().getPath()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(probe.sink.events().toString()).doesNotContain(token.substring(0, 20));
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldCutABodySentAByteAtATimeWith408() throws Exception {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"slow\"}}";
    SlowClient slow = SlowClient.sending(probe, "POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + probe.fx.mint("slow-body") + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n", body);

    AttackProbe.assertRawStatus(slow.response(), 408, "Timeout");
    assertThat(slow.closed()).isTrue();
    VigilEvent received = probe.assertDenied("request-timeout", 408);
    assertThat(received.getIdentity().getUsername()).isEqualTo("slow-body");
    assertThat(probe.fx.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldNotCountTheIdleTimeBetweenRequestsAgainstTheHeadDeadline() throws Exception {
    RawConnection c = probe.open();
    try {
      String get = LINE_START + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + probe.fx.mint("patient") + "\r\n\r\n";
      c.send(get.substring(0, 20));
      Thread.sleep(HEAD_TIMEOUT.toMillis() / 2);
      c.send(get.substring(20));
      assertThat(AttackProbe.rawStatus(c.awaitText("\"kind\":\"PodList\"", Duration.ofSeconds(10)))).isEqualTo(200);
      Thread.sleep(HEAD_TIMEOUT.toMillis() + 500); // idle on a kept-alive connection, longer than the head deadline
      assertThat(c.closed.isDone()).isFalse();
      c.send(get);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (c.awaitText("", Duration.ZERO).split("HTTP/1.1 200", -1).length < 3 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(c.awaitText("", Duration.ZERO).split("HTTP/1.1 200", -1)).hasSize(3);
      assertThat(probe.fx.kubeSim.requests()).hasSize(2);
    } finally {
      c.close();
    }
  }
}

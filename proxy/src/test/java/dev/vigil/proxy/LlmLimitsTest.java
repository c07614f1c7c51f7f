package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Channel;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** The LLM channel's dispatch and protocol limits: /llm never reaches Kubernetes; stalled bodies; HTTP/1.0. */
class LlmLimitsTest {

  @TempDir
  static Path dir;
  static LlmFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new LlmFixture(dir, Map.of(ProxyConfig.SERVER_IDLE_TIMEOUT, "1s"), null);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @BeforeEach
  void reset() {
    f.sink.clear();
    f.upstream.clear();
    f.gw.kubeSim.clearRequests();
  }

  private static String prompt() {
    return "{\"model\":\"m\",\"messages\":[]}";
  }

  @Test
  void shouldSendLlmPathsToTheLlmChannelWhateverTheirSpelling() throws Exception {
    String token = f.gw.mint("agent-1");
    for (String path : new String[] {"//llm/anthropic/v1/messages", "/%6Clm/anthropic/v1/messages",
        "/llm/anthropic//v1/messages"}) {
      assertThat(f.call(HttpMethod.POST, path, f.bearer(token), prompt()).status()).as(path).isEqualTo(200);
    }
    assertThat(f.upstream.seen()).extracting(FakeLlmUpstream.Seen::uri).containsOnly("/v1/messages");
    assertThat(f.gw.kubeSim.requests()).isEmpty();
  }

  @Test
  void shouldKeepLlmPathsAwayFromKubernetesWhenNoProviderIsEnabled() throws Exception {
    InMemorySink sink = new InMemorySink();
    VigilProxy plain = f.gw.startProxy(f.gw.settings(Map.of()), sink);
    LlmFixture.Received r;
    var client = f.gw.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setSsl(true)
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertValue(
            io.vertx.core.buffer.Buffer.buffer(f.gw.pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(plain.port()));
    try {
      r = f.call(client, HttpMethod.POST, "/llm/openai/v1/chat/completions", f.bearer(f.gw.mint("agent-1")), prompt(),
          (req, chunk) -> { });
    } finally {
      client.close();
    }

    assertThat(r.status()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message"))
        .isEqualTo("the LLM provider openai is not enabled on this Vigil gateway");
    assertThat(f.gw.kubeSim.requests()).isEmpty();
    List<VigilEvent> events = sink.await(e -> true, 2, Duration.ofSeconds(10));
    assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.getChannel()).isEqualTo(Channel.LLM));
    assertThat(((RequestReceived) events.get(0).getPayload()).getDecision().getRuleId()).isEqualTo("llm-route");
  }

  @Test
  void shouldRefuseAStalledRequestBodyWith408AndCloseTheConnection() throws Exception {
    RawConnection c = RawConnection.open(f.gw, f.proxy.port());
    String response = c.send("POST /llm/anthropic/v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: "
        + f.gw.mint("slow-agent") + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\n{\"a\":\r\n").awaitText("}}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.1 408").contains("\"type\":\"error\"");
    assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
    List<VigilEvent> events = f.awaitCall();
    assertThat(LlmFixture.request(events).getDecision().getRuleId()).isEqualTo("request-timeout");
    assertThat(events.get(0).getSessionKey()).isEqualTo("slow-agent");
    assertThat(f.upstream.seen()).isEmpty();
    c.close();
  }

  @Test
  void shouldRefuseHttp10InTheProvidersFormat() throws Exception {
    RawConnection c = RawConnection.open(f.gw, f.proxy.port());
    String response = c.send("GET /llm/openai/v1/models HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer "
        + f.gw.mint("old-agent") + "\r\n\r\n").awaitText("}}", Duration.ofSeconds(10));

    assertThat(response).contains(" 505 ").contains("\"type\":\"server_error\"");
    assertThat(LlmFixture.request(f.awaitCall()).getDecision().getRuleId()).isEqualTo("protocol");
    assertThat(f.upstream.seen()).isEmpty();
    c.close();
  }
}

package dev.vigil.llmsim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Start-up options, the request log, scripts set by tests, TLS. */
class LlmSimTest {

  @Test
  void shouldRecordWhatItReceivedAndHideCredentialsInToString() throws Exception {
    try (SimFixture f = SimFixture.withKey()) {
      Map<String, String> headers = SimFixture.anthropic();
      headers.put("anthropic-beta", "fine-grained-tool-streaming-2025-05-14");
      String body = SimFixture.messages("claude-sonnet-4-5-20250929", false, "pods?").encode();
      f.post("/v1/messages", headers, body);

      List<RecordedRequest> requests = f.sim.requests();
      assertThat(requests).hasSize(1);
      RecordedRequest r = requests.get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/v1/messages");
      assertThat(r.header("X-Api-Key")).isEqualTo(SimFixture.KEY);
      assertThat(r.header("anthropic-beta")).isEqualTo("fine-grained-tool-streaming-2025-05-14");
      assertThat(r.hasHeader("authorization")).isFalse();
      assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject(body));
      assertThat(r.toString()).contains("x-api-key=****").doesNotContain(SimFixture.KEY);
      f.sim.clearRequests();
      assertThat(f.sim.requests()).isEmpty();
    }
  }

  @Test
  void shouldAnswerWithTheTestsScriptAndNeedNoKeyWhenNoneIsSet() throws Exception {
    LlmSimOptions options = new LlmSimOptions().setRequireAnthropicVersion(false)
        .setStreamChunkDelay(Duration.ofMillis(5))
        .setScript(r -> ModelReply.toolUse("deploy", new JsonObject().put("turns", r.turns().size())
            .put("system", r.system()).put("provider", r.provider().name())));
    try (SimFixture f = new SimFixture(options)) {
      JsonObject body = SimFixture.messages("any-model-name", true, "hi").put("system", "be brief");
      HttpResponse<String> r = f.post("/v1/messages", Map.of("content-type", "application/json"), body.encode());

      assertThat(r.statusCode()).isEqualTo(200);
      String json = Sse.parse(r.body()).events().stream().map(e -> new JsonObject(e.data()))
          .filter(d -> d.getString("type").equals("content_block_delta"))
          .map(d -> d.getJsonObject("delta").getString("partial_json")).reduce("", String::concat);
      assertThat(new JsonObject(json)).isEqualTo(new JsonObject().put("turns", 1).put("system", "be brief")
          .put("provider", "ANTHROPIC"));
    }
  }

  @Test
  void shouldTurnAFailingScriptIntoA500() throws Exception {
    LlmSimOptions options = new LlmSimOptions().setScript(r -> {
      throw new IllegalStateException("no reply scripted");
    });
    try (SimFixture f = new SimFixture(options)) {
      HttpResponse<String> r = f.post("/v1/messages", SimFixture.anthropic(),
          SimFixture.messages("m", false, "hi").encode());
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("no reply scripted");
    }
  }

  @Test
  void shouldRefuseATooLargeBodyWith413InProviderFormat() throws Exception {
    try (SimFixture f = new SimFixture(new LlmSimOptions().setMaxRequestBodyBytes(200))) {
      String big = SimFixture.messages("m", false, "x".repeat(500)).encode();
      HttpResponse<String> anthropic = f.post("/v1/messages", SimFixture.anthropic(), big);
      assertThat(anthropic.statusCode()).isEqualTo(413);
      assertThat(new JsonObject(anthropic.body()).getJsonObject("error").getString("type"))
          .isEqualTo("request_too_large");
      HttpResponse<String> openAi = f.post("/v1/chat/completions", SimFixture.openAi(), big);
      assertThat(openAi.statusCode()).isEqualTo(413);
      assertThat(new JsonObject(openAi.body()).getJsonObject("error").getString("type"))
          .isEqualTo("invalid_request_error");
      assertThat(f.sim.requests()).hasSize(2).allMatch(r -> r.body().isEmpty());
    }
  }

  @Test
  void shouldServeTlsWithTheGivenCertificate() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try (SimFixture f = new SimFixture(new LlmSimOptions().setHost("localhost").setKeyCert(cert.keyCertOptions())
        .setApiKey(SimFixture.KEY))) {
      assertThat(f.sim.url()).startsWith("https://localhost:");
      HttpClient tls = HttpClient.newBuilder().sslContext(trusting(Path.of(cert.certificatePath()))).build();
      HttpRequest.Builder get = f.request("/v1/models", SimFixture.anthropic()).GET();
      HttpResponse<String> r = tls.send(get.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(URI.create(f.sim.url()).getPort()).isEqualTo(f.sim.port());
    } finally {
      cert.delete();
    }
  }

  private static SSLContext trusting(Path certFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certFile)) {
      store.setCertificateEntry("sim", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}

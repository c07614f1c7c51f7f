package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/**
 * What the gateway forwards and records of a request: the canonical path and query (dot segments refused), and
 * request bodies exactly at the recording cap, with a zero cap, and over the size limit (connection closed).
 */
class RequestHandlingTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(
        ProxyConfig.RECORD_MAX_BODY_BYTES, "256",
        ProxyConfig.MAX_REQUEST_BODY_BYTES, "4096")), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void reset() {
    sink.clear();
    fx.kubeSim.clearRequests();
  }

  static RecordedRequest single(List<RecordedRequest> requests) {
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  static io.vertx.core.streams.ReadStream<Buffer> chunks(String s) {
    return new ChunkedBody(fx.vertx, Buffer.buffer(s), 700);
  }

  @Test
  void shouldForwardTheCanonicalPathAndQueryThatWereParsed() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("//api//v1/namespaces/p%61yments//pods?limit=5;x=1&limit=50&watch=0")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-4")).send());

    assertThat(resp.statusCode()).isEqualTo(200);
    RecordedRequest upstream = single(fx.kubeSim.requests());
    assertThat(upstream.path()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(upstream.query()).isEqualTo("limit=50&watch=0");
    VigilEvent received = sink.await(e -> true, 1, Duration.ofSeconds(5)).get(0);
    assertThat(received.getRequest().getPath()).isEqualTo("/api/v1/namespaces/payments/pods");
    assertThat(received.getRequest().getQuery()).isEqualTo("limit=50&watch=0");
    assertThat(received.getRequest().getKubernetes().getNamespace()).isEqualTo("payments");
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("list");
  }

  @Test
  void shouldRefuseDotSegmentsInsteadOfResolvingThem() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/kube-system/../payments/secrets")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-4")).send());

    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(resp.bodyAsJsonObject().getString("message")).contains("'..'");
    assertThat(fx.kubeSim.requests()).isEmpty();
    RequestReceived rr = (RequestReceived) sink.await(e -> true, 1, Duration.ofSeconds(5)).get(0).getPayload();
    assertThat(rr.getDecision().getRuleId()).isEqualTo("request-validation");
  }

  @ParameterizedTest(name = "{0} body of {1} bytes, cap 256")
  @CsvSource({"chunked,256,false", "chunked,257,true", "length,256,false", "length,257,true", "chunked,255,false"})
  void shouldFlagTruncationExactlyAtTheRecordingCap(String framing, int size, boolean truncated) throws Exception {
    String prefix = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cap-" + size + "-" + framing
        + "-" + System.nanoTime() % 100_000 + "\"},\"data\":{\"k\":\"";
    String body = prefix + "x".repeat(size - prefix.length() - 3) + "\"}}";
    assertThat(body).hasSize(size);
    var req = fx.client().post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-5")).putHeader("Content-Type", "application/json");

    HttpResponse<Buffer> resp = await("chunked".equals(framing) ? req.sendStream(new ChunkedBody(fx.vertx, Buffer.buffer(body), 64))
        : req.sendBuffer(Buffer.buffer(body)));

    assertThat(resp.statusCode()).isEqualTo(201);
    dev.vigil.schema.Body recorded = ((RequestReceived) sink.await(e -> true, 1, Duration.ofSeconds(5)).get(0).getPayload()).getBody();
    assertThat(recorded.getTruncated()).isEqualTo(truncated);
    assertThat(recorded.getOriginalSize()).isEqualTo(size);
    assertThat(recorded.getContent()).isEqualTo(body.substring(0, Math.min(size, 256)));
    assertThat(single(fx.kubeSim.requests()).headers("content-length")).containsExactly(Integer.toString(size));
  }

  @Test
  void shouldRecordSizeAndTruncationOfBodiesWithAZeroCap() throws Exception {
    InMemorySink zeroSink = new InMemorySink();
    VigilProxy zero = fx.startProxy(fx.settings(Map.of(ProxyConfig.RECORD_MAX_BODY_BYTES, "0")), zeroSink);
    String body = new JsonObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("metadata", new JsonObject().put("name", "zero-" + System.nanoTime())).encode();

    HttpResponse<Buffer> resp = await(fx.client(zero.port()).post("/api/v1/namespaces/payments/configmaps")
        .putHeader("Authorization", "Bearer " + fx.mint("agent-0")).putHeader("Content-Type", "application/json")
        .sendStream(chunks(body)));

    assertThat(resp.statusCode()).isEqualTo(201);
    dev.vigil.schema.Body recorded = ((RequestReceived) zeroSink.await(e -> true, 1, Duration.ofSeconds(5)).get(0)
        .getPayload()).getBody();
    assertThat(recorded.getContent()).isEmpty();
    assertThat(recorded.getTruncated()).isTrue();
    assertThat(recorded.getOriginalSize()).isEqualTo(body.length());
  }

  @Test
  void shouldCloseTheConnectionAfterRefusingAnOverLimitChunkedBody() throws Exception {
    RawConnection c = RawConnection.open(fx, fx.proxy().port());
    String chunk = "z".repeat(1000);
    StringBuilder request = new StringBuilder("POST /api/v1/namespaces/payments/configmaps HTTP/1.1\r\nHost: x\r\n"
        + "Authorization: Bearer " + fx.mint("agent-6") + "\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 6; i++) {
      request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }

    String response = c.send(request.toString()).awaitText("}", Duration.ofSeconds(10));

    assertThat(response).startsWith("HTTP/1.1 413");
    assertThat(c.awaitClosed(Duration.ofSeconds(5))).as("the rest of the body is not read: the connection is closed").isTrue();
    assertThat(fx.kubeSim.requests()).isEmpty();
  }
}

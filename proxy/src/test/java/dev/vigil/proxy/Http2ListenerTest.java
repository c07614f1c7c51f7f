package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;

/** The TLS listener speaks HTTP/2 (ALPN h2) next to HTTP/1.1; calls over h2 are authenticated, relayed and recorded alike. */
class Http2ListenerTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static VigilProxy h2;
  static VigilProxy h1only;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    h2 = fx.startProxy(fx.settings(Map.of()), sink);
    h1only = fx.startProxy(fx.settings(Map.of(ProxyConfig.HTTP2_ENABLED, "false")), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static HttpClient client(int port) {
    return fx.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** A response with its whole body, read on the event loop (a body read later from the test thread could be lost). */
  record Reply(HttpClientResponse response, Buffer body) {}

  private static io.vertx.core.Future<Reply> withBody(HttpClientResponse r) {
    return r.body().map(b -> new Reply(r, b));
  }

  private static RequestOptions request(HttpMethod method, String uri, String subject) {
    return new RequestOptions().setMethod(method).setURI(uri).addHeader("Authorization", "Bearer " + fx.mint(subject));
  }

  @Test
  void shouldNegotiateHttp2AndRelayAndRecordLikeHttp1() throws Exception {
    sink.clear();
    HttpClient client = client(h2.port());
    try {
      Reply reply = await(client.request(request(HttpMethod.GET, "/api/v1/namespaces/payments/pods", "h2-agent"))
          .compose(HttpClientRequest::send).compose(Http2ListenerTest::withBody));
      HttpClientResponse resp = reply.response();
      Buffer body = reply.body();

      assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(resp.statusCode()).as(body.toString()).isEqualTo(200);
      assertThat(resp.getHeader("Content-Type")).as(body.toString()).startsWith("application/json");
      assertThat(body.toJsonObject().getString("kind")).isEqualTo("PodList");
      assertThat(resp.headers().names()).map(String::toLowerCase).doesNotContain("connection", "keep-alive", "transfer-encoding");
      List<VigilEvent> events = sink.await(e -> "h2-agent".equals(e.getSessionKey()), 2, Duration.ofSeconds(5));
      assertThat(events).hasSize(2);
      assertThat(events.get(0).getRequest().getKubernetes().getVerb()).isEqualTo("list");
      assertThat(((ResponseCompleted) events.get(1).getPayload()).getBytesToClient()).isEqualTo(body.length());
    } finally {
      await(client.close());
    }
  }

  @Test
  void shouldForwardRequestBodiesWithAndWithoutContentLengthOverHttp2() throws Exception {
    HttpClient client = client(h2.port());
    try {
      for (boolean declared : new boolean[] {true, false}) {
        sink.clear();
        String name = "h2-" + (declared ? "sized" : "streamed") + "-" + System.nanoTime();
        Buffer cm = Buffer.buffer(new JsonObject().put("apiVersion", "v1").put("kind", "ConfigMap")
            .put("metadata", new JsonObject().put("name", name)).put("data", new JsonObject().put("k", "v".repeat(3000))).encode());
        HttpClientRequest req = await(client.request(request(HttpMethod.POST, "/api/v1/namespaces/payments/configmaps", "h2-writer")
            .addHeader("Content-Type", "application/json")));
        Reply reply;
        if (declared) {
          reply = await(req.send(cm).compose(Http2ListenerTest::withBody));
        } else {
          req.setChunked(true);
          req.write(cm.slice(0, 1000));
          req.write(cm.slice(1000, cm.length()));
          reply = await(req.end().compose(v -> req.response()).compose(Http2ListenerTest::withBody));
        }
        HttpClientResponse resp = reply.response();
        Buffer body = reply.body();

        assertThat(resp.statusCode()).as(name + ": " + body).isEqualTo(201);
        assertThat(fx.kubeSim.store().get("configmaps", "payments", name)).isPresent();
        RequestReceived rr = (RequestReceived) sink.await(e -> e.getPayload() instanceof RequestReceived, 1,
            Duration.ofSeconds(5)).get(0).getPayload();
        assertThat(rr.getBody().getOriginalSize()).isEqualTo(cm.length());
      }
    } finally {
      await(client.close());
    }
  }

  @Test
  void shouldStreamAWatchOverHttp2() throws Exception {
    HttpClient client = client(h2.port());
    try {
      LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
      HttpClientResponse resp = await(client.request(request(HttpMethod.GET,
          "/api/v1/namespaces/payments/configmaps?watch=true&resourceVersion=0", "h2-watcher")).compose(HttpClientRequest::send)
          .map(r -> r.handler(b -> chunks.add(b.toString()))));
      assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
      String name = "watched-" + System.nanoTime();
      fx.kubeSim.store().apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: payments}\n");

      StringBuilder seen = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!seen.toString().contains(name) && System.nanoTime() < deadline) {
        String c = chunks.poll(200, TimeUnit.MILLISECONDS);
        if (c != null) {
          seen.append(c);
        }
      }
      assertThat(seen.toString()).contains(name);
      resp.request().reset();
    } finally {
      await(client.close());
    }
  }

  @Test
  void shouldNotRelayTheUpstreamsHopByHopHeadersWhichHttp2Forbids() throws Exception {
    HttpServer upstream = await(fx.vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(fx.pki.issueServer("hop", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
            .putHeader("Connection", "keep-alive, X-Hop").putHeader("Keep-Alive", "timeout=5").putHeader("X-Hop", "1")
            .putHeader("X-End-To-End", "kept").setChunked(true).end("{\"kind\":\"Status\",\"apiVersion\":\"v1\"}"))
        .listen(0, "127.0.0.1"));
    VigilProxy proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + upstream.actualPort()).toString())), sink);
    HttpClient client = client(proxy.port());
    try {
      Reply reply = await(client.request(request(HttpMethod.GET, "/api/v1/namespaces", "hop-agent"))
          .compose(HttpClientRequest::send).compose(Http2ListenerTest::withBody));
      HttpClientResponse resp = reply.response();
      Buffer body = reply.body();

      assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(body.toJsonObject().getString("kind")).isEqualTo("Status");
      assertThat(resp.headers().names()).map(String::toLowerCase)
          .doesNotContain("connection", "keep-alive", "x-hop", "transfer-encoding").contains("x-end-to-end");
    } finally {
      await(client.close());
      await(proxy.close());
      await(upstream.close());
    }
  }

  @Test
  void shouldSpeakHttp1OnlyWhenHttp2IsDisabled() throws Exception {
    HttpClient client = client(h1only.port());
    try {
      HttpClientResponse resp = await(client.request(request(HttpMethod.GET, "/api/v1/namespaces", "h1-agent"))
          .compose(HttpClientRequest::send).compose(Http2ListenerTest::withBody)).response();

      assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_1_1);
      assertThat(resp.statusCode()).isEqualTo(200);
    } finally {
      await(client.close());
    }
  }
}

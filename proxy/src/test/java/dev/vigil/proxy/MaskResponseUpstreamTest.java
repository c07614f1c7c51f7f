package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.client.HttpResponse;

/**
 * maskResponse against an upstream that does not do what the gateway asks: it answers compressed although the gateway
 * asked for identity (refused: 502, nothing relayed), or in protobuf although the gateway asked for JSON (decoded,
 * masked, relayed as JSON), or sets an ETag on the bytes the gateway changes (dropped).
 */
class MaskResponseUpstreamTest {

  /** kube-codec's golden protobuf Secret (kubectl 1.32): data.password = "s3cret". */
  static final byte[] SECRET_PB = HexFormat.of().parseHex("6b3873000a0c0a0276311206536563726574123"
      + "20a1a0a0373656312001a0764656661756c7422002a0032003800420012120a0870617373776f72641206733363726574"
      + "1a001a002200");
  static final String SECRET_JSON = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},"
      + "\"data\":{\"password\":\"czNjcjN0LXBAc3N3MHJk\"}}";

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static HttpServer upstream;
  static final List<MultiMap> seen = new CopyOnWriteArrayList<>();
  static final InMemorySink sink = new InMemorySink();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    upstream = await(fx.vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(fx.pki.issueServer("upstream", List.of("localhost"), List.of("127.0.0.1")).pemKeyCertOptions()))
        .requestHandler(req -> {
          seen.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
          String name = req.path().substring(req.path().lastIndexOf('/') + 1);
          switch (name) {
            case "gzip" -> req.response().putHeader("Content-Type", "application/json")
                .putHeader("Content-Encoding", "gzip").end(gzip(SECRET_JSON));
            case "protobuf" -> req.response().putHeader("Content-Type", "application/vnd.kubernetes.protobuf")
                .end(Buffer.buffer(SECRET_PB));
            default -> req.response().putHeader("Content-Type", "application/json").putHeader("ETag", "\"v1\"")
                .end(SECRET_JSON);
          }
        })
        .listen(0, "127.0.0.1"));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "defaultEffect: allow\nguardrails:\n  secrets-only-in-allowed-namespaces:\n"
        + "    namespaces: [payments]\n", StandardCharsets.UTF_8);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString(), ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + upstream.actualPort()).toString())), sink);
    token = fx.mint("agent-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (upstream != null) {
      await(upstream.close());
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldRefuseACompressedResponseItCannotMask() throws Exception {
    HttpResponse<Buffer> resp = get("gzip");

    assertThat(resp.statusCode()).isEqualTo(502);
    assertThat(resp.bodyAsJsonObject().getString("message")).contains("Content-Encoding gzip");
    assertThat(resp.getHeader("Content-Encoding")).isNull();
    assertThat(seen.get(seen.size() - 1).get("accept-encoding")).isEqualTo("identity");
    ResponseCompleted rc = completed();
    assertThat(rc.getStatus()).isEqualTo(502);
    assertThat(rc.getHeaders()).containsKey("vigil-mask-refused");
  }

  @Test
  void shouldDecodeAProtobufAnswerAndRelayItMaskedAsJson() throws Exception {
    HttpResponse<Buffer> resp = get("protobuf");

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(resp.bodyAsJsonObject().getJsonObject("data").getString("password")).startsWith("masked:k8s-secret:");
    assertThat(resp.bodyAsString()).doesNotContain("czNjcmV0");
  }

  @Test
  void shouldDropTheEtagOfBytesItChanged() throws Exception {
    HttpResponse<Buffer> resp = get("plain");

    assertThat(resp.bodyAsJsonObject().getJsonObject("data").getString("password")).startsWith("masked:k8s-secret:");
    assertThat(resp.getHeader("ETag")).isNull();
    assertThat(resp.getHeader("Content-Length")).isEqualTo(Integer.toString(resp.body().length()));
  }

  private static HttpResponse<Buffer> get(String name) throws Exception {
    sink.clear();
    return await(fx.client().get("/api/v1/namespaces/payments/secrets/" + name)
        .putHeader("Authorization", "Bearer " + token).putHeader("Accept-Encoding", "gzip").send());
  }

  private static ResponseCompleted completed() throws InterruptedException {
    List<VigilEvent> done = sink.await(e -> e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(10));
    assertThat(done).isNotEmpty();
    return (ResponseCompleted) done.get(0).getPayload();
  }

  private static Buffer gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }
}

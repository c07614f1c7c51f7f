package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;

/**
 * The upstream connection pool is bounded ({@code upstream.max-connections}): a call queued behind busy connections
 * (here: one connection held by a watch) fails with 504 after {@code upstream.connect-timeout}, and a call whose caller
 * left while it was queued is never sent.
 */
class UpstreamPoolTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static VigilProxy proxy(String connectTimeout) throws Exception {
    return fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_MAX_CONNECTIONS, "1",
        ProxyConfig.UPSTREAM_CONNECT_TIMEOUT, connectTimeout)), sink);
  }

  @Test
  void shouldAnswer504WhenNoPooledConnectionFreesUpWithinTheConnectTimeout() throws Exception {
    sink.clear();
    VigilProxy proxy = proxy("1s");
    StreamClient watch = StreamClient.open(fx, proxy.port(), "/api/v1/namespaces/payments/pods?watch=true",
        fx.mint("watcher"), null);
    try {
      long started = System.nanoTime();
      HttpResponse<Buffer> resp = await(fx.client(proxy.port()).get("/api/v1/namespaces")
          .putHeader("Authorization", "Bearer " + fx.mint("lister")).send());

      assertThat(resp.statusCode()).isEqualTo(504);
      assertThat(resp.bodyAsJsonObject().getString("kind")).isEqualTo("Status");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      List<VigilEvent> errors = sink.await(e -> e.getPayload() instanceof UpstreamError, 1, Duration.ofSeconds(5));
      UpstreamError err = (UpstreamError) errors.get(0).getPayload();
      assertThat(err.getErrorType()).isEqualTo("TIMEOUT");
      assertThat(err.getStatusToClient()).isEqualTo(504);
      assertThat(errors.get(0).getSessionKey()).isEqualTo("lister");
    } finally {
      watch.close();
    }
  }

  @Test
  void shouldNeverSendACallWhoseCallerLeftWhileItWasQueued() throws Exception {
    sink.clear();
    VigilProxy proxy = proxy("5s");
    StreamClient watch = StreamClient.open(fx, proxy.port(), "/api/v1/namespaces/payments/pods?watch=true",
        fx.mint("watcher"), null);
    String marker = "queued-" + System.nanoTime();
    NetClient net = fx.vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    try {
      NetSocket socket = await(net.connect(proxy.port(), "127.0.0.1"));
      await(socket.write("GET /api/v1/namespaces/payments/configmaps/" + marker + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + fx.mint("leaver") + "\r\n\r\n"));
      sink.await(e -> e.getPayload() instanceof RequestReceived && e.getRequest().getPath().endsWith(marker), 1,
          Duration.ofSeconds(5));
      await(socket.close());
      Thread.sleep(200);
      watch.close(); // frees the pooled connection: the queued call would get it now
      List<VigilEvent> done = sink.await(e -> e.getRequest().getPath().endsWith(marker)
          && e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(10));
      assertThat(done).isNotEmpty();
      assertThat(((ResponseCompleted) done.get(0).getPayload()).getStatus()).isEqualTo(499);
      Thread.sleep(500);
      assertThat(fx.kubeSim.requests()).noneMatch(r -> r.path().endsWith(marker));
    } finally {
      await(net.close());
    }
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** Watches flow through the gateway as they happen, are not cut by the idle timeout, and are recorded when they end. */
class WatchStreamingTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static InMemorySink sink = new InMemorySink();

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_IDLE_TIMEOUT, "1s")), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldStreamWatchEventsAsTheyHappenAndRecordTheCallWhenTheCallerLeaves() throws Exception {
    HttpClient client = fx.vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    AtomicBoolean ended = new AtomicBoolean();
    HttpClientResponse response = await(client.request(new RequestOptions()
            .setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(fx.proxy().port())
            .setURI("/api/v1/namespaces/payments/pods?watch=true")
            .putHeader("Authorization", "Bearer " + fx.mint("watcher"))
            .putHeader("X-Vigil-Session", "watch-session"))
        .compose(req -> req.send())
        .map(resp -> { // on the event loop, before any chunk can be dropped
          resp.handler(b -> chunks.add(b.toString()));
          resp.endHandler(v -> ended.set(true));
          return resp;
        }));

    assertThat(response.statusCode()).isEqualTo(200);
    String first = chunks.poll(10, TimeUnit.SECONDS);
    assertThat(first).contains("\"type\":\"ADDED\"");

    Thread.sleep(2_000); // idle for longer than the upstream idle timeout: a watch must survive it
    chunks.clear();
    fx.kubeSim.store().apply("""
        apiVersion: v1
        kind: Pod
        metadata: {name: streamed-pod, namespace: payments}
        spec:
          containers: [{name: c, image: busybox}]
        """);
    String live = pollUntilContains(chunks, "streamed-pod", Duration.ofSeconds(10));
    assertThat(live).contains("streamed-pod");
    assertThat(ended).isFalse();
    assertThat(sink.events()).noneMatch(e -> e.getPayload() instanceof ResponseCompleted);

    await(client.close()); // the caller goes away

    List<VigilEvent> done = sink.await(e -> e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(10));
    assertThat(done).hasSize(1);
    ResponseCompleted rc = (ResponseCompleted) done.get(0).getPayload();
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getDurationMillis()).isGreaterThanOrEqualTo(2_000);
    assertThat(rc.getBytesToClient()).isPositive();
    VigilEvent received = sink.events().stream().filter(e -> e.getPayload() instanceof RequestReceived).findFirst().orElseThrow();
    assertThat(received.getSessionKey()).isEqualTo("watcher/watch-session"); // owner/header
    assertThat(received.getRequest().getKubernetes().getVerb()).isEqualTo("watch");
    assertThat(done.get(0).getSequence()).isGreaterThan(received.getSequence());
  }

  private static String pollUntilContains(LinkedBlockingQueue<String> chunks, String needle, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String c = chunks.poll(100, TimeUnit.MILLISECONDS);
      if (c != null) {
        seen.append(c);
        if (seen.indexOf(needle) >= 0) {
          return seen.toString();
        }
      }
    }
    return seen.toString();
  }
}

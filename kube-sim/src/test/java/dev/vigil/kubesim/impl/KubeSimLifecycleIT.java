package dev.vigil.kubesim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams end when the client goes away and when the simulator closes. */
class KubeSimLifecycleIT {

  private Vertx vertx;
  private KubeSim sim;
  private HttpClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = KubeSim.start(vertx, new KubeSimOptions().setSeedDemo(true).setLogFollowInterval(Duration.ofMillis(50)))
        .await();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    client.close().await();
    sim.close().await();
    vertx.close().await();
  }

  private HttpClientResponse open(String uri) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(sim.port()).setHost("127.0.0.1")
        .setURI(uri)).compose(r -> r.send()).await();
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void shouldPickAFreePortAndReportItsUrl() {
    assertThat(sim.port()).isPositive();
    assertThat(sim.url()).isEqualTo("http://127.0.0.1:" + sim.port());
  }

  @Test
  void shouldForgetAWatchWhenTheClientGoesAway() throws Exception {
    HttpClientResponse watch = open("/api/v1/pods?watch=1");
    assertThat(watch.statusCode()).isEqualTo(200);
    KubeSimServer server = (KubeSimServer) sim;
    eventually(() -> server.openStreams() == 1);
    watch.exceptionHandler(e -> { });
    watch.request().connection().close().await();
    eventually(() -> server.openStreams() == 0);
  }

  @Test
  void shouldEndOpenStreamsOnClose() throws Exception {
    HttpClientResponse watch = open("/api/v1/namespaces/payments/configmaps?watch=true");
    HttpClientResponse logs = open("/api/v1/namespaces/default/pods/nginx/log?follow=true");
    assertThat(logs.statusCode()).isEqualTo(200);
    var watchEnded = watch.end().toCompletionStage().toCompletableFuture();
    var logsEnded = logs.end().toCompletionStage().toCompletableFuture();
    eventually(() -> ((KubeSimServer) sim).openStreams() == 2);
    sim.close().await();
    watchEnded.get(5, TimeUnit.SECONDS);
    logsEnded.get(5, TimeUnit.SECONDS);
    assertThat(((KubeSimServer) sim).openStreams()).isZero();
  }

  private WebSocket attach(WebSocketClient ws, CompletableFuture<Short> closed) {
    return ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(sim.port())
        .setURI("/api/v1/namespaces/default/pods/nginx/attach?stdout=true&stdin=true")
        .setSubProtocols(List.of("v5.channel.k8s.io"))).map(w -> {
          w.closeHandler(v -> closed.complete(w.closeStatusCode()));
          return w;
        }).await();
  }

  @Test
  void shouldForgetAnExecSessionWhenTheClientGoesAway() throws Exception {
    WebSocketClient ws = vertx.createWebSocketClient();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    WebSocket session = attach(ws, closed);
    KubeSimServer server = (KubeSimServer) sim;
    eventually(() -> server.openStreams() == 1);
    session.close().await();
    eventually(() -> server.openStreams() == 0);
    ws.close().await();
  }

  @Test
  void shouldEndExecSessionsOnClose() throws Exception {
    WebSocketClient ws = vertx.createWebSocketClient();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    attach(ws, closed);
    eventually(() -> ((KubeSimServer) sim).openStreams() == 1);
    sim.close().await();
    assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1001);
    assertThat(((KubeSimServer) sim).openStreams()).isZero();
    ws.close().await();
  }
}

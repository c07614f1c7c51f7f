package dev.vigil.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

class OpenLoopRunnerTest {

  private static final long STALL_MILLIS = 200;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** An HTTPS server answering 200 at once, except its {@code stallAt}-th request, delayed 200 ms. */
  private HttpServer stallingServer(IssuedCert cert, AtomicInteger seen, AtomicInteger stallAt) throws Exception {
    return vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.pemKeyCertOptions()))
        .requestHandler(req -> req.body().onComplete(b -> {
          System.err.println("DEBUG server got " + (seen.get() + 1) + " " + req.method() + " " + req.uri());
          if (seen.incrementAndGet() == stallAt.get()) {
            vertx.setTimer(STALL_MILLIS, id -> req.response().end("{}"));
          } else {
            req.response().end("{}");
          }
        }))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldChargeTheStallToEveryRequestScheduledDuringItAndRecordAllOfThem() throws Exception {
    DevPki pki = DevPki.create("bench-test-ca");
    IssuedCert cert = pki.issueServer("stall", List.of("localhost"), List.of("127.0.0.1"));
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger stallAt = new AtomicInteger(-1);
    HttpServer server = stallingServer(cert, seen, stallAt);
    // one connection: while the stalled reply is outstanding, every request due meanwhile waits for it
    try (HttpSender sender = new HttpSender(vertx, pki.caCertPem(), "127.0.0.1", server.actualPort(), "t", 1, 1)) {
      for (int i = 0; i < 1500; i++) { // JIT warm-up: cold, one request takes several ms
        System.err.println("DEBUG " + i + " seen=" + seen.get());
        sender.send(Op.GET).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      int before = seen.get();
      stallAt.set(before + 40 + 60); // 200 ms of warm-up at 200/s, then 300 ms into the measurement
      RequestMix onlyGets = new RequestMix(Map.of(Op.GET, 1));
      PhaseResult r = new OpenLoopRunner(onlyGets)
          .run("stall", sender, 200, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));

      assertThat(r.expected()).isEqualTo(200);
      assertThat(r.successes()).isEqualTo(r.expected());
      assertThat(r.errorCount()).isZero();
      assertThat(r.maxMillis()).isGreaterThanOrEqualTo(STALL_MILLIS - 5);
      // requests due every 5 ms during the stall waited (200 - 5 k) ms each from their intended time: about 20 of
      // them waited >= 100 ms. Timing from the actual send (closed-loop style) would show one slow request only.
      assertThat(r.countAtOrAbove(TimeUnit.MILLISECONDS.toNanos(100))).isBetween(15L, 30L);
      assertThat(r.countAtOrAbove(TimeUnit.MILLISECONDS.toNanos(50))).isGreaterThanOrEqualTo(25L);
      assertThat(seen.get() - before).isEqualTo(240);
      assertThat(r.millis(50)).isLessThan(50.0);
    }
  }

  @Test
  void shouldCountRequestsWithoutAReplyAsErrors() throws Exception {
    RequestMix onlyGets = new RequestMix(Map.of(Op.GET, 1));
    Sender never = op -> io.vertx.core.Promise.<Integer>promise().future();
    PhaseResult r = new OpenLoopRunner(onlyGets)
        .run("silent", never, 100, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(50));

    assertThat(r.expected()).isEqualTo(50);
    assertThat(r.successes()).isZero();
    assertThat(r.errors()).containsEntry("no reply by the end of the phase", 50L);
  }

  @Test
  void shouldSpreadTheWeightsEvenly() {
    RequestMix mix = new RequestMix(RequestMix.DEFAULT_WEIGHTS);
    assertThat(mix.patternLength()).isEqualTo(100);
    long lists = java.util.stream.LongStream.range(0, 100).filter(i -> mix.op(i) == Op.LIST).count();
    assertThat(lists).isEqualTo(15);
    // no run of the same heavy op: every 10 consecutive requests hold at least one and at most two LISTs
    for (int start = 0; start < 100; start += 10) {
      int s = start;
      long inWindow = java.util.stream.LongStream.range(s, s + 10).filter(i -> mix.op(i) == Op.LIST).count();
      assertThat(inWindow).isBetween(1L, 2L);
    }
  }
}

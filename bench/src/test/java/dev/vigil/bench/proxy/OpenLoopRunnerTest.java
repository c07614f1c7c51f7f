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

  private static final long STALL_MILLIS = 500;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** An HTTPS server answering 200 at once, except its {@code stallAt}-th request, delayed 200 ms. */
  private HttpServer stallingServer(IssuedCert cert, AtomicInteger seen, AtomicInteger stallAt) throws Exception {
    return vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.pemKeyCertOptions()))
        .requestHandler(req -> req.body().onComplete(b -> {
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
    // one connection: while the stalled reply is outstanding, every request due meanwhile waits for it (this must
    // hold on a busy shared machine too: 50 requests/s, a 500 ms stall)
    try (HttpSender sender = new HttpSender(vertx, pki.caCertPem(), "127.0.0.1", server.actualPort(), "t", 1, 1, 1)) {
      for (int i = 0; i < 1500; i++) { // JIT warm-up: cold, one request takes several ms
        sender.send(Op.GET).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      int before = seen.get();
      stallAt.set(before + 10 + 25); // 200 ms of warm-up at 50/s, then 500 ms into the measurement
      RequestMix onlyGets = new RequestMix(Map.of(Op.GET, 1));
      PhaseResult r = new OpenLoopRunner(onlyGets)
          .run("stall", sender, 50, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));

      assertThat(r.expected()).isEqualTo(100);
      assertThat(r.successes()).isEqualTo(r.expected());
      assertThat(r.errorCount()).isZero();
      assertThat(r.maxMillis()).isGreaterThanOrEqualTo(STALL_MILLIS - 5);
      // requests due every 20 ms during the stall waited (500 - 20 k) ms each from their intended time: about 13 of
      // them waited >= 250 ms. Timing from the actual send (closed-loop style) would show one slow request only.
      assertThat(r.countAtOrAbove(TimeUnit.MILLISECONDS.toNanos(250))).isBetween(10L, 20L);
      assertThat(r.countAtOrAbove(TimeUnit.MILLISECONDS.toNanos(100))).isGreaterThanOrEqualTo(18L);
      assertThat(r.millis(50)).isLessThan(100.0); // the requests due outside the stall were not slow
      assertThat(seen.get() - before).isEqualTo(110);
    }
  }

  @Test
  void shouldTimeFromTheIntendedSendWhenTheDriverItselfFellBehind() throws Exception {
    // the sender blocks the scheduling thread once for 300 ms (as a GC pause of the driver would) and otherwise
    // answers at once: the requests due during the pause go out late, and their latency must include the delay
    AtomicInteger sent = new AtomicInteger();
    Sender blocking = op -> {
      if (sent.incrementAndGet() == 30) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return io.vertx.core.Future.succeededFuture(200);
    };
    PhaseResult r = new OpenLoopRunner(new RequestMix(Map.of(Op.GET, 1)))
        .run("paused", blocking, 100, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));

    assertThat(r.expected()).isEqualTo(100);
    assertThat(r.successes()).isEqualTo(100);
    assertThat(sent.get()).isEqualTo(110);
    // due every 10 ms: the ~30 requests due during the pause waited (300 - 10 k) ms, about 15 of them >= 150 ms
    assertThat(r.countAtOrAbove(TimeUnit.MILLISECONDS.toNanos(150))).isBetween(12L, 18L);
    assertThat(r.maxMillis()).isGreaterThanOrEqualTo(290.0);
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
    assertThat(lists).isEqualTo(5);
    // no burst of the heavy ops: every 20 consecutive requests hold exactly one LIST and one CREATE
    for (int start = 0; start < 100; start += 20) {
      int s = start;
      assertThat(java.util.stream.LongStream.range(s, s + 20).filter(i -> mix.op(i) == Op.LIST).count()).isOne();
      assertThat(java.util.stream.LongStream.range(s, s + 20).filter(i -> mix.op(i) == Op.CREATE).count()).isOne();
    }
  }
}

package dev.vigil.bench.proxy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Saturation: {@code concurrency} workers each send the next request of the mix as soon as the previous one completed,
 * for a fixed time. Completions inside the measured window (after the warm-up) are counted; latency here is service
 * time (closed loop), reported for information only — the throughput is the result.
 */
final class ClosedLoopRunner {

  private final Vertx vertx;
  private final RequestMix mix;

  ClosedLoopRunner(Vertx vertx, RequestMix mix) {
    this.vertx = vertx;
    this.mix = mix;
  }

  PhaseResult run(String target, Sender sender, int concurrency, Duration warmup, Duration measure, Duration drain)
      throws InterruptedException {
    PhaseResult result = new PhaseResult(target, 0);
    long from = System.nanoTime() + warmup.toNanos();
    long to = from + measure.toNanos();
    AtomicLong seq = new AtomicLong();
    AtomicLong sentInWindow = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(concurrency);
    for (int w = 0; w < concurrency; w++) {
      vertx.runOnContext(v -> next(sender, seq, sentInWindow, result, from, to, finished));
    }
    if (!finished.await(warmup.plus(measure).plus(drain).toMillis(), TimeUnit.MILLISECONDS)) {
      result.recordErrors("worker without a reply by the end of the phase", finished.getCount());
    }
    result.setExpected(sentInWindow.get());
    result.setMeasuredNanos(measure.toNanos());
    return result;
  }

  private void next(Sender sender, AtomicLong seq, AtomicLong sentInWindow, PhaseResult result, long from, long to,
      CountDownLatch finished) {
    long sent = System.nanoTime();
    if (sent >= to) {
      finished.countDown();
      return;
    }
    if (sent >= from) {
      sentInWindow.incrementAndGet();
    }
    Op op = mix.op(seq.getAndIncrement());
    Future<Integer> reply;
    try {
      reply = sender.send(op);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(ar -> {
      long end = System.nanoTime();
      if (end >= from && end < to) {
        if (OpenLoopRunner.ok(ar)) {
          result.recordSuccess(op, end - sent);
        } else {
          result.recordError(OpenLoopRunner.errorKind(ar));
        }
      }
      vertx.runOnContext(v -> next(sender, seq, sentInWindow, result, from, to, finished));
    });
  }
}

package dev.vigil.bench.proxy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * Open-loop load: request {@code i} is due at {@code start + i / rate} whatever happened to the ones before it, and its
 * latency runs from that intended time (not from when it was actually sent or got a connection), so a stall delays
 * every request due during it and all of them are recorded (no coordinated omission). Requests of the warm-up are
 * sent but not recorded; measured requests without a reply when the drain time is over count as errors.
 */
final class OpenLoopRunner {

  static final String NO_REPLY = "no reply by the end of the phase";

  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final RequestMix mix;

  OpenLoopRunner(RequestMix mix) {
    this.mix = mix;
  }

  PhaseResult run(String target, Sender sender, double rate, Duration warmup, Duration measure, Duration drain)
      throws InterruptedException {
    if (rate <= 0) {
      throw new IllegalArgumentException("rate must be > 0: " + rate);
    }
    PhaseResult result = new PhaseResult(target, rate);
    Tracker tracker = new Tracker(result);
    double intervalNanos = 1e9 / rate;
    long warmCount = Math.round(warmup.toNanos() / intervalNanos);
    long measuredCount = Math.round(measure.toNanos() / intervalNanos);
    long start = System.nanoTime() + START_DELAY_NANOS;
    for (long i = 0; i < warmCount + measuredCount; i++) {
      long intended = start + (long) (i * intervalNanos);
      sleepUntil(intended);
      boolean measured = i >= warmCount;
      Op op = mix.op(i);
      if (measured) {
        tracker.started();
      }
      Future<Integer> reply;
      try {
        reply = sender.send(op);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(ar -> tracker.done(op, intended, measured, ar));
    }
    result.setExpected(measuredCount);
    result.setMeasuredNanos(measure.toNanos());
    tracker.awaitDrained(drain);
    return result;
  }

  static void sleepUntil(long deadlineNanos) {
    long now;
    while ((now = System.nanoTime()) < deadlineNanos) {
      LockSupport.parkNanos(deadlineNanos - now);
    }
  }

  /** How a reply that is not a 2xx is counted. */
  static String errorKind(AsyncResult<Integer> ar) {
    if (ar.failed()) {
      Throwable t = ar.cause();
      String msg = t.getMessage() == null ? "" : ": " + t.getMessage();
      return t.getClass().getSimpleName() + (msg.length() > 80 ? msg.substring(0, 80) + "..." : msg);
    }
    return "HTTP " + ar.result();
  }

  static boolean ok(AsyncResult<Integer> ar) {
    return ar.succeeded() && ar.result() >= 200 && ar.result() < 300;
  }

  /** Counts measured requests in flight; completions after the drain deadline are ignored (already counted). */
  private static final class Tracker {
    private final PhaseResult result;
    private long inFlight;
    private boolean closed;

    Tracker(PhaseResult result) {
      this.result = result;
    }

    synchronized void started() {
      inFlight++;
    }

    void done(Op op, long intended, boolean measured, AsyncResult<Integer> ar) {
      long latency = System.nanoTime() - intended;
      if (!measured) {
        return;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        if (ok(ar)) {
          result.recordSuccess(op, latency);
        } else {
          result.recordError(errorKind(ar));
        }
        inFlight--;
        if (inFlight == 0) {
          notifyAll();
        }
      }
    }

    synchronized void awaitDrained(Duration drain) throws InterruptedException {
      long deadline = System.nanoTime() + drain.toNanos();
      long left;
      while (inFlight > 0 && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      closed = true;
      result.recordErrors(NO_REPLY, inFlight);
    }
  }
}

package dev.vigil.kubesim.impl;

import dev.vigil.kubesim.store.StatusException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of exec/attach sessions (the pretend processes block on stdin and sleep, so
 * they never run on an event loop). Bounded: beyond {@link #MAX_SESSIONS} the request gets 429.
 */
final class ExecSessions {

  static final int MAX_SESSIONS = 32;

  private final AtomicInteger threads = new AtomicInteger();
  private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, MAX_SESSIONS, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "kube-sim-exec-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  /** Throws 429 when all session threads are busy (checked before the upgrade). */
  void checkCapacity() {
    if (pool.getActiveCount() >= MAX_SESSIONS) {
      throw tooMany();
    }
  }

  Future<?> submit(Runnable session) {
    try {
      return pool.submit(session);
    } catch (RejectedExecutionException e) {
      throw tooMany();
    }
  }

  private static StatusException tooMany() {
    return new StatusException(429, "TooManyRequests",
        "kube-sim runs at most " + MAX_SESSIONS + " exec/attach sessions at once");
  }

  void shutdown() {
    pool.shutdownNow();
  }
}

package dev.vigil.streams.notify;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The close signal shared by the notifier's waits: a backoff sleep or a wait for a response ends as soon as
 * {@code close()} is called, with a {@link Closed} exception that unwinds to the poll loop.
 */
final class Shutdown {

  /** Thrown out of a wait because the notifier is closing; the current batch is then not committed. */
  static final class Closed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Closed() {
      super("closing", null, false, false);
    }
  }

  private static final long POLL_MILLIS = 100;
  private final CountDownLatch latch = new CountDownLatch(1);

  void signal() {
    latch.countDown();
  }

  boolean requested() {
    return latch.getCount() == 0;
  }

  void checkOpen() {
    if (requested()) {
      throw new Closed();
    }
  }

  /** Sleeps {@code millis}; throws {@link Closed} if closing was (or gets) requested. */
  void sleep(long millis) {
    try {
      if (latch.await(millis, TimeUnit.MILLISECONDS)) {
        throw new Closed();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Closed();
    }
  }

  /**
   * Waits for {@code future} at most {@code timeoutMillis}, cancelling it on close (then throws {@link Closed}) and on
   * timeout (then throws {@link TimeoutException}).
   */
  <T> T await(Future<T> future, long timeoutMillis) throws ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      if (requested()) {
        future.cancel(true);
        throw new Closed();
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        future.cancel(true);
        throw new TimeoutException("no complete response within " + timeoutMillis + " ms");
      }
      try {
        return future.get(Math.min(left, POLL_MILLIS), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not done yet: check for close and the deadline again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        throw new Closed();
      }
    }
  }
}

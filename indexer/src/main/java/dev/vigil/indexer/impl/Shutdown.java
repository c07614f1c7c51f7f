package dev.vigil.indexer.impl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The close signal shared by the poll loop's waits: a backoff sleep ends as soon as close() is called. */
final class Shutdown {
  private final CountDownLatch latch = new CountDownLatch(1);

  void signal() {
    latch.countDown();
  }

  boolean requested() {
    return latch.getCount() == 0;
  }

  /** Sleeps {@code millis}; throws {@link ClosedException} if closing was (or gets) requested. */
  void sleep(long millis) {
    try {
      if (latch.await(millis, TimeUnit.MILLISECONDS)) {
        throw new ClosedException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClosedException();
    }
  }

  void checkOpen() {
    if (requested()) {
      throw new ClosedException();
    }
  }
}

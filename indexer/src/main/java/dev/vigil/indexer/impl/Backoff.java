package dev.vigil.indexer.impl;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, initial * 2^(n-1)). */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;

  public Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
  }

  /** The upper bound for {@code attempt} (1-based). */
  public long ceilingMillis(int attempt) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long d = initialMillis << shift;
    return d <= 0 || d > maxMillis ? maxMillis : d;
  }

  /** The delay before retry number {@code attempt} (1-based). */
  public long delayMillis(int attempt) {
    long ceiling = ceilingMillis(attempt);
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }
}

package dev.vigil.app.fault;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: wait until a condition holds, or fail with what was last seen. */
final class Poll {

  private Poll() {}

  /** Waits (every 200 ms, at most {@code timeout}) until {@code done} holds; else fails naming {@code what}. */
  static void until(String what, Duration timeout, BooleanSupplier done) {
    until(what, timeout, () -> done.getAsBoolean() ? Boolean.TRUE : null, () -> "");
  }

  /** Waits until {@code probe} returns non-null and returns it; else fails with {@code what} and {@code last}. */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Supplier<String> last) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + " " + last.get());
      }
      sleep(200);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

package dev.vigil.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes registered components in reverse start order, each within a bounded time; failures are logged, not lost. */
final class Closer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

  /** A component to stop. */
  @FunctionalInterface
  interface Step {
    void close() throws Exception;
  }

  private record Named(String name, Step step, long boundMillis) {}

  private final Deque<Named> steps = new ArrayDeque<>();
  private final long perStepMillis;

  Closer(long perStepMillis) {
    this.perStepMillis = perStepMillis;
  }

  synchronized void register(String name, Step step) {
    register(name, step, perStepMillis);
  }

  /** Registers a step with its own time bound (for components whose own close is bounded by a longer time). */
  synchronized void register(String name, Step step, long boundMillis) {
    steps.push(new Named(name, step, boundMillis));
  }

  @Override
  public synchronized void close() {
    while (!steps.isEmpty()) {
      Named n = steps.pop();
      CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
        try {
          n.step().close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        f.get(n.boundMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("Stopping {} took longer than {} ms; moving on", n.name(), n.boundMillis());
      } catch (ExecutionException e) {
        LOG.warn("Stopping {} failed: {}", n.name(), e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while stopping {}", n.name());
      }
    }
  }
}

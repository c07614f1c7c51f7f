package dev.vigil.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.vigil.schema.VigilEvent;
import io.vertx.core.Future;

/** A {@link RecordingSink} that keeps events in memory, for tests. */
public final class InMemorySink implements RecordingSink {

  private final List<VigilEvent> events = new CopyOnWriteArrayList<>();
  private volatile boolean failing;

  @Override
  public Future<Void> record(VigilEvent event) {
    if (failing) {
      return Future.failedFuture(new IllegalStateException("sink down (test)"));
    }
    events.add(event);
    return Future.succeededFuture();
  }

  public List<VigilEvent> events() {
    return List.copyOf(events);
  }

  public void clear() {
    events.clear();
  }

  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** Waits until {@code count} events match, returning them (or whatever matched when the time ran out). */
  public List<VigilEvent> await(Predicate<VigilEvent> filter, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<VigilEvent> matched = events.stream().filter(filter).toList();
      if (matched.size() >= count || System.nanoTime() > deadline) {
        return matched;
      }
      Thread.sleep(20);
    }
  }
}

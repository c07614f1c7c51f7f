package dev.vigil.app.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Concurrent callers through the proxy, each with its own OIDC token: caller {@code c} makes GETs until stopped, one
 * after the other, {@code pauseMillis} apart, of {@code /api/v1/namespaces/ns-<i mod namespaces>/pods?labelSelector=
 * call%3D<c>.<i>}, so every call is identifiable upstream (kube-sim's log) and in Kafka (its query). Records each
 * call's status (-1: no answer).
 */
final class Load {

  static final String LABEL_PREFIX = "labelSelector=call%3D";
  private static final Logger LOG = LoggerFactory.getLogger(Load.class);

  private final FaultStack stack;
  private final List<String> callers;
  private volatile boolean stopped;
  private final int namespaces;
  private final long pauseMillis;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger done = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  Load(FaultStack stack, List<String> callers, int namespaces, long pauseMillis) {
    this.stack = stack;
    this.callers = List.copyOf(callers);
    this.namespaces = namespaces;
    this.pauseMillis = pauseMillis;
  }

  Load start() {
    for (String caller : callers) {
      String token = stack.token(caller);
      Thread t = new Thread(() -> run(caller, token), "load-" + caller);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return this;
  }

  private void run(String caller, String token) {
    for (int i = 0; !stopped; i++) {
      String label = caller + "." + i;
      int status;
      try {
        HttpResponse<Buffer> r = stack.client().get("/api/v1/namespaces/ns-" + (i % namespaces) + "/pods?" + LABEL_PREFIX
            + label).putHeader("Authorization", "Bearer " + token).timeout(30_000).send()
            .toCompletionStage().toCompletableFuture().get(35, TimeUnit.SECONDS);
        status = r.statusCode();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("call {} got no answer: {}", label, e.toString());
        status = -1;
      }
      statuses.put(label, status);
      done.incrementAndGet();
      if (pauseMillis > 0) {
        Poll.sleep(pauseMillis);
      }
    }
  }

  int done() {
    return done.get();
  }

  /** Waits until {@code n} calls are answered (bounded). */
  void awaitDone(int n, java.time.Duration timeout) {
    Poll.until(n + " calls answered", timeout, () -> done.get() >= n);
  }

  /** Waits until {@code n} more calls than now are answered (bounded). */
  void awaitMore(int n, java.time.Duration timeout) {
    awaitDone(done.get() + n, timeout);
  }

  /** Stops the callers, waits for their last calls (each is bounded) and returns label -> status. */
  Map<String, Integer> finish() {
    long t0 = System.nanoTime();
    stopped = true;
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(40));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    LOG.info("load stopped: {} calls answered; the callers' last calls took {} ms", done.get(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return Map.copyOf(statuses);
  }

  /** Stops the callers (used on failure: they are daemon threads, and each call is bounded). */
  void abort() {
    stopped = true;
    threads.forEach(Thread::interrupt);
  }

  /** The call label of a query ({@code labelSelector=call%3D<label>}), or null for other requests. */
  static String labelOf(String query) {
    return query != null && query.startsWith(LABEL_PREFIX) ? query.substring(LABEL_PREFIX.length()) : null;
  }

  /**
   * {@code n} caller names {@code <prefix>-<i>} whose session keys spread evenly over {@code partitions} partitions
   * (the records are keyed by session key: Kafka's default partitioner, murmur2 of the key).
   */
  static List<String> callers(String prefix, int n, int partitions) {
    List<String> out = new ArrayList<>();
    int[] perPartition = new int[partitions];
    int max = (n + partitions - 1) / partitions;
    for (int i = 0; out.size() < n; i++) {
      String name = prefix + "-" + i;
      int p = org.apache.kafka.common.utils.Utils.toPositive(
          org.apache.kafka.common.utils.Utils.murmur2(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
      if (perPartition[p] < max) {
        perPartition[p]++;
        out.add(name);
      }
    }
    return out;
  }
}

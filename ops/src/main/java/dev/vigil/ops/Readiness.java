package dev.vigil.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A service's readiness: every check must answer. Answers are cached for {@code ttl} (a few seconds) and probed on a
 * worker thread, never on an event loop.
 */
public final class Readiness implements AutoCloseable {

  /** How long a check's answer is reused by default. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(3);
  /** How long one probe may take by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final List<CachedCheck> checks = new ArrayList<>();

  public Readiness(List<? extends ReadinessCheck> checks, Duration ttl) {
    checks.forEach(c -> this.checks.add(new CachedCheck(c, ttl.toNanos(), System::nanoTime)));
  }

  public Readiness(List<? extends ReadinessCheck> checks) {
    this(checks, DEFAULT_TTL);
  }

  /** {@code {"status":"ready"|"not-ready","checks":{"kafka":{"ready":true},...}}}; blocks. */
  public JsonObject evaluateBlocking() {
    JsonObject detail = new JsonObject();
    boolean ready = true;
    for (CachedCheck check : checks) {
      CachedCheck.Result r = check.get();
      JsonObject one = new JsonObject().put("ready", r.ready());
      if (r.error() != null) {
        one.put("error", r.error());
      }
      detail.put(r.name(), one);
      ready &= r.ready();
    }
    return new JsonObject().put("status", ready ? "ready" : "not-ready").put("checks", detail);
  }

  /** {@link #evaluateBlocking()} on a worker thread (unordered: probes of distinct requests may overlap). */
  public Future<JsonObject> evaluate(Vertx vertx) {
    return vertx.executeBlocking(this::evaluateBlocking, false);
  }

  /** True when the answer says ready. */
  public static boolean isReady(JsonObject answer) {
    return "ready".equals(answer.getString("status"));
  }

  @Override
  public void close() {
    checks.forEach(CachedCheck::close);
  }
}

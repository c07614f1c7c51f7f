package dev.vigil.ops;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Remembers a check's last answer for a while, so frequent probes (kubelet, load balancers) do not hammer the cluster. */
final class CachedCheck {

  private static final Logger LOG = LoggerFactory.getLogger(CachedCheck.class);

  private final ReadinessCheck check;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private boolean lastReady;
  private String lastError;
  private long checkedAt;
  private boolean checked;

  CachedCheck(ReadinessCheck check, long ttlNanos, LongSupplier nanoClock) {
    this.check = check;
    this.ttlNanos = ttlNanos;
    this.nanoClock = nanoClock;
  }

  String name() {
    return check.name();
  }

  /** The cached answer, or a fresh probe when none is recent enough; blocks. */
  synchronized Result get() {
    long now = nanoClock.getAsLong();
    if (!checked || now - checkedAt >= ttlNanos) {
      try {
        lastReady = check.probe();
        lastError = lastReady ? null : "not reachable";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastReady = false;
        lastError = "interrupted";
      } catch (Exception e) {
        lastReady = false;
        lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        LOG.debug("Readiness check {} failed", check.name(), e);
      }
      checkedAt = now;
      checked = true;
    }
    return new Result(check.name(), lastReady, lastError);
  }

  void close() {
    check.close();
  }

  /** One check's answer; {@code error} is null when ready. */
  record Result(String name, boolean ready, String error) {}
}

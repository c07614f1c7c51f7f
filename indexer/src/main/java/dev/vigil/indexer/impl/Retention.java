package dev.vigil.indexer.impl;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.IndexerConfig;

/**
 * Chooses and runs the retention of the daily event indices ({@code vigil.indexer.retention.*}): with mode
 * {@code auto}, an ISM policy ({@link IsmRetention}) when the cluster has the plugin, otherwise the indexer's own
 * deletion task ({@link RetentionTask}), run by the poll loop at start and every {@code retention.interval}. The choice
 * is logged at start. A failing task run is logged at ERROR and tried again after {@link #RETRY_MILLIS} (or the interval
 * if shorter); it never stops indexing.
 */
final class Retention {

  /** The mechanism in use. */
  enum Mechanism { ISM, TASK, OFF }

  static final long RETRY_MILLIS = 5 * 60_000L;
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final Mechanism mechanism;
  private final RetentionTask task;
  private final Clock clock;
  private final long intervalMillis;
  private long nextRunMillis;

  private Retention(Mechanism mechanism, RetentionTask task, Clock clock, long intervalMillis) {
    this.mechanism = mechanism;
    this.task = task;
    this.clock = clock;
    this.intervalMillis = intervalMillis;
    this.nextRunMillis = clock.millis();
  }

  /** No retention (tests, or before start-up finished). */
  static Retention off(Clock clock) {
    return new Retention(Mechanism.OFF, null, clock, Long.MAX_VALUE);
  }

  /**
   * Decides the mechanism and installs the ISM policy when it is the one. Throws {@link IOException} when OpenSearch is
   * unreachable or busy (the caller retries), {@link IndexerFatalException} when mode {@code ism} is asked for and the
   * cluster has no ISM plugin, {@link IllegalStateException} when OpenSearch refuses the policy.
   */
  static Retention setUp(IndexerConfig config, OpenSearchCalls calls, Clock clock, AtomicLong indicesDeleted) throws IOException {
    String what = config.indexPattern() + " after " + config.retentionDays() + " days";
    IndexerConfig.RetentionMode mode = config.retentionMode();
    if (mode == IndexerConfig.RetentionMode.OFF) {
      LOG.info("Retention: off ({}=off): event indices are never deleted", IndexerConfig.RETENTION_MODE);
      return off(clock);
    }
    if (mode != IndexerConfig.RetentionMode.TASK) {
      Boolean ism = IsmRetention.available(calls);
      if (mode == IndexerConfig.RetentionMode.ISM && Boolean.FALSE.equals(ism)) {
        throw new IndexerFatalException(IndexerConfig.RETENTION_MODE + "=ism but the cluster has no Index State Management "
            + "plugin (" + IsmRetention.PLUGIN + "): install it, or use mode auto or task");
      }
      if (mode == IndexerConfig.RetentionMode.ISM || Boolean.TRUE.equals(ism)) {
        new IsmRetention(calls, config).install();
        LOG.info("Retention mechanism: ISM policy {} deletes {}", IsmRetention.policyId(config), what);
        return new Retention(Mechanism.ISM, null, clock, Long.MAX_VALUE);
      }
    }
    LOG.info("Retention mechanism: {}; the indexer's deletion task removes {} (at start, then every {})",
        mode == IndexerConfig.RetentionMode.TASK ? IndexerConfig.RETENTION_MODE + "=task"
            : "no ISM plugin on the cluster", what, config.retentionInterval());
    RetentionTask task = new RetentionTask(calls, config.indexPrefix(), config.retentionDays(), clock, indicesDeleted);
    return new Retention(Mechanism.TASK, task, clock, config.retentionInterval().toMillis());
  }

  Mechanism mechanism() {
    return mechanism;
  }

  /** {@code ism}, {@code task} or {@code off}. */
  String describe() {
    return mechanism.name().toLowerCase(Locale.ROOT);
  }

  /** Runs the deletion task if it is the mechanism and its time has come; failures are logged and retried later. */
  void runIfDue() {
    if (task == null || clock.millis() < nextRunMillis) {
      return;
    }
    try {
      List<String> deleted = task.run();
      nextRunMillis = clock.millis() + intervalMillis;
      LOG.info("Retention task done: {} expired indices deleted; next run in {} min", deleted.size(), intervalMillis / 60_000);
    } catch (IOException | RuntimeException e) {
      long retry = Math.min(RETRY_MILLIS, intervalMillis);
      nextRunMillis = clock.millis() + retry;
      LOG.error("Retention task failed, trying again in {} s: {}", retry / 1000, e.toString());
    }
  }
}

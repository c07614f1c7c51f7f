package dev.vigil.proxy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current policy, loaded from a file and reloaded when the file's content changes. {@link #checkForChanges()}
 * re-reads the file (a cheap SHA-256 comparison when unchanged); call it yourself on any schedule, or {@link #start}
 * a daemon thread that polls at {@code interval}. A new file that is missing, unreadable or invalid leaves the old
 * policy in force, is logged with every error (each naming the rule and field) and counted in
 * {@link #reloadFailures()}; the same bad content is reported once, not on every poll.
 */
public final class PolicyStore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);

  private final Path file;
  private final AtomicLong loaded = new AtomicLong();
  private final AtomicLong reloadFailures = new AtomicLong();
  private volatile Policy current;
  private volatile String lastReloadError;
  private byte[] currentHash;
  private byte[] rejectedHash;
  private ScheduledExecutorService poller;

  private PolicyStore(Path file, Policy policy, byte[] hash) {
    this.file = file;
    this.current = policy;
    this.currentHash = hash;
    loaded.incrementAndGet();
  }

  /** Loads {@code file}; an invalid or unreadable initial file fails here (the gateway must not start without one). */
  public static PolicyStore open(Path file) throws IOException, InvalidPolicyException {
    Objects.requireNonNull(file, "file");
    byte[] bytes = Files.readAllBytes(file);
    Policy policy = Policy.parse(new String(bytes, StandardCharsets.UTF_8));
    LOG.info("Loaded policy from {}", file);
    return new PolicyStore(file, policy, sha256(bytes));
  }

  /** The policy in force. */
  public Policy current() {
    return current;
  }

  /** Successful loads, the initial one included. */
  public long loaded() {
    return loaded.get();
  }

  /** Reloads that failed (missing, unreadable or invalid file) and left the previous policy in force. */
  public long reloadFailures() {
    return reloadFailures.get();
  }

  /** Why the latest reload failed, naming the rules and fields; null once a reload succeeded or none failed. */
  public String lastReloadError() {
    return lastReloadError;
  }

  /** The policy file. */
  public Path file() {
    return file;
  }

  /** Re-reads the file and swaps the policy when its content changed and is valid; true when it swapped. */
  public synchronized boolean checkForChanges() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      if (rejectedHash == null || rejectedHash.length != 0) {
        rejectedHash = new byte[0];
        reloadFailures.incrementAndGet();
        lastReloadError = "cannot read the file: " + e;
        LOG.error("Cannot read policy file {}; keeping the previous policy: {}", file, e.toString());
      }
      return false;
    }
    byte[] hash = sha256(bytes);
    if (Arrays.equals(hash, currentHash) || Arrays.equals(hash, rejectedHash)) {
      return false;
    }
    try {
      current = Policy.parse(new String(bytes, StandardCharsets.UTF_8));
      currentHash = hash;
      rejectedHash = null;
      lastReloadError = null;
      loaded.incrementAndGet();
      LOG.info("Reloaded policy from {}", file);
      return true;
    } catch (InvalidPolicyException e) {
      rejectedHash = hash;
      reloadFailures.incrementAndGet();
      lastReloadError = String.join("; ", e.errors());
      LOG.error("Policy file {} is invalid; keeping the previous policy: {}", file, String.join("; ", e.errors()));
      return false;
    }
  }

  /** Polls the file every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized PolicyStore start(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (poller == null) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-policy-reload");
        t.setDaemon(true);
        return t;
      });
      long millis = interval.toMillis();
      poller.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void pollQuietly() {
    try {
      checkForChanges();
    } catch (RuntimeException e) {
      LOG.error("Policy reload failed", e);
    }
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

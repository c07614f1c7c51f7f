package dev.vigil.proxy.impl;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.MaskTokens;
import dev.vigil.proxy.SecretFingerprintsConfig;
import dev.vigil.schema.Finding;

/**
 * Per session key, the fingerprints of the Kubernetes Secret values the session read through the gateway: the
 * {@code k8s-secret} findings of its KUBERNETES responses and watch events (fed by {@link EventFactory} and, under
 * maskResponse, by {@link ResponseMasking}), so that an LLM call of the session carrying one of those values can be
 * recognised ({@link #scan}) — the guardrail {@code no-secret-in-llm-prompt} and the masking of recorded LLM bodies.
 *
 * <p>Only fingerprints are kept, never a value. Bounded: a fingerprint expires {@code ttl} after the session last read
 * it; at most {@code maxPerSession} per session (the oldest read dropped first) and {@code maxSessions} sessions (the
 * least recently used dropped first). Thread-safe (short critical sections; fingerprinting the candidates of a scan
 * happens outside the lock).
 */
public final class SecretFingerprints {

  /** The finding kind of a Secret value, and of what {@link #scan} masks. */
  public static final String KIND = "k8s-secret";
  /** Distinct candidates fingerprinted per scan at most; the rest of the body (its oldest part) is not checked. */
  public static final int MAX_CANDIDATES = 20_000;

  /**
   * What a scan found.
   *
   * @param fingerprints the session's fingerprints found, distinct, in the order found
   * @param masked the text with each value found replaced by {@code masked:k8s-secret:<fingerprint>} (the text itself
   *     when nothing was found)
   * @param complete false when the scan stopped at {@link #MAX_CANDIDATES}
   */
  public record Scan(List<String> fingerprints, String masked, boolean complete) {
    public Scan {
      fingerprints = List.copyOf(fingerprints);
    }

    public boolean found() {
      return !fingerprints.isEmpty();
    }
  }

  private final Fingerprinter fingerprinter;
  private final long ttlNanos;
  private final int maxPerSession;
  private final LongSupplier nanoClock;
  /** Session key → fingerprint → expiry (nanoClock); both in order of (last) read, so the head expires first. */
  private final LinkedHashMap<String, LinkedHashMap<String, Long>> sessions;

  public SecretFingerprints(Fingerprinter fingerprinter, SecretFingerprintsConfig config, LongSupplier nanoClock) {
    this(fingerprinter, config.ttl(), config.maxPerSession(), config.maxSessions(), nanoClock);
  }

  public SecretFingerprints(Fingerprinter fingerprinter, Duration ttl, int maxPerSession, int maxSessions,
      LongSupplier nanoClock) {
    this.fingerprinter = fingerprinter;
    this.ttlNanos = ttl.toNanos();
    this.maxPerSession = maxPerSession;
    this.nanoClock = nanoClock;
    this.sessions = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<String, Long>> eldest) {
        return size() > maxSessions;
      }
    };
  }

  /** Records that {@code sessionKey} read a Secret value with this fingerprint (again: its expiry starts over). */
  public synchronized void add(String sessionKey, String fingerprint) {
    long now = nanoClock.getAsLong();
    LinkedHashMap<String, Long> held = sessions.computeIfAbsent(sessionKey, k -> new LinkedHashMap<>());
    held.remove(fingerprint);
    held.put(fingerprint, now + ttlNanos);
    expire(held, now);
    Iterator<String> oldest = held.keySet().iterator();
    while (held.size() > maxPerSession) {
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * Feeds the {@code k8s-secret} findings of a response or watch event of {@code ex}, if it is a Kubernetes call (its
   * request has Kubernetes attributes); other findings and other channels are ignored.
   */
  void fedBy(Exchange ex, List<Finding> findings) {
    if (findings.isEmpty() || ex.ref == null || ex.ref.getKubernetes() == null) {
      return;
    }
    for (Finding f : findings) {
      if (KIND.equals(f.getKind())) {
        add(ex.sessionKey, f.getFingerprint());
      }
    }
  }

  /** Whether {@code sessionKey} holds this fingerprint (not expired). */
  public synchronized boolean holds(String sessionKey, String fingerprint) {
    return live(sessionKey).contains(fingerprint);
  }

  /** The fingerprints {@code sessionKey} holds (not expired), oldest read first. */
  public synchronized Set<String> fingerprints(String sessionKey) {
    return Set.copyOf(live(sessionKey));
  }

  /** Sessions tracked (some of them may hold only expired fingerprints until they are looked at). */
  public synchronized int sessions() {
    return sessions.size();
  }

  private Set<String> live(String sessionKey) {
    LinkedHashMap<String, Long> held = sessions.get(sessionKey);
    if (held == null) {
      return Set.of();
    }
    expire(held, nanoClock.getAsLong());
    if (held.isEmpty()) {
      sessions.remove(sessionKey);
      return Set.of();
    }
    return new LinkedHashSet<>(held.keySet());
  }

  private static void expire(LinkedHashMap<String, Long> held, long now) {
    Iterator<Long> expiries = held.values().iterator();
    while (expiries.hasNext() && expiries.next() - now <= 0) {
      expiries.remove();
    }
  }

  /**
   * Looks for the values {@code sessionKey} read in {@code text} (a JSON body or plain text), fingerprinting its
   * candidates ({@link SecretCandidates}) exactly as Secret values are fingerprinted. Nothing is fingerprinted when the
   * session holds no fingerprint.
   */
  public Scan scan(String sessionKey, String text) {
    Set<String> known;
    synchronized (this) {
      known = live(sessionKey);
    }
    if (known.isEmpty() || text == null || text.isEmpty()) {
      return new Scan(List.of(), text, true);
    }
    SecretCandidates body = new SecretCandidates(text);
    Set<String> candidates = new LinkedHashSet<>();
    boolean complete = true;
    for (String t : body.texts()) {
      if (!SecretCandidates.add(t, candidates, MAX_CANDIDATES)) {
        complete = false;
        break;
      }
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    Set<String> found = new LinkedHashSet<>();
    for (String c : candidates) {
      String fp = fingerprinter.fingerprint(c);
      if (known.contains(fp)) {
        found.add(fp);
        tokens.put(c, MaskTokens.token(KIND, fp));
      }
    }
    return new Scan(List.copyOf(found), tokens.isEmpty() ? text : body.mask(tokens), complete);
  }

  /** Whether {@code sessionKey} holds any fingerprint (not expired): only then is there anything to scan for. */
  public synchronized boolean holdsAny(String sessionKey) {
    return !live(sessionKey).isEmpty();
  }
}

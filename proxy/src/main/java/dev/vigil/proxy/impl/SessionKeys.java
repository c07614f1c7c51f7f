package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Session keys and per-session sequence numbers.
 *
 * <p>A session belongs to one Kubernetes identity, so that no caller can write into another identity's session:
 * <ul>
 *   <li>without {@code X-Vigil-Session}: the caller's mapped username ({@code agent-1});</li>
 *   <li>with {@code X-Vigil-Session: <value>} (1–128 characters of {@code [A-Za-z0-9._:-]}):
 *       {@code <username>/<value>} ({@code agent-1/task-42}).</li>
 * </ul>
 * In the username part, {@code %}, {@code /}, controls, spaces and non-ASCII are percent-encoded (UTF-8), so a
 * username never contains {@code /} and the two forms cannot collide. Unauthenticated calls use {@value #ANONYMOUS},
 * which no caller can obtain: a caller literally named {@code anonymous} gets {@code %61nonymous}. Usernames are
 * unique across issuers thanks to their prefixes (see {@code OidcIssuerConfig}), so sessions are too.
 *
 * <p>Sequence numbers are monotonic per session within this gateway instance. At most {@code maxTracked} sessions
 * are tracked (least recently used evicted first) and sessions idle longer than {@code idleTimeout} are evicted by
 * {@link #evictIdle()}. A session that comes back after eviction starts above every number ever handed out to an
 * evicted session, so its numbers stay monotonic; brand-new sessions start at 0 until the first eviction.
 */
final class SessionKeys {

  static final String HEADER = "X-Vigil-Session";
  static final String ANONYMOUS = "anonymous";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final int maxTracked;
  private final long idleNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Counter> sessions;
  private long floor;

  SessionKeys(int maxTracked, Duration idleTimeout, LongSupplier nanoClock) {
    this.maxTracked = maxTracked;
    this.idleNanos = idleTimeout.toNanos();
    this.nanoClock = nanoClock;
    this.sessions = new LinkedHashMap<>(256, 0.75f, true);
  }

  static boolean isValid(String sessionHeader) {
    return sessionHeader != null && VALID.matcher(sessionHeader).matches();
  }

  /** The session key for a call from {@code caller} carrying {@code sessionHeader} (may be null). */
  static String resolve(String sessionHeader, CallerIdentity caller) throws InvalidRequestException {
    if (caller == CallerIdentity.ANONYMOUS) {
      return ANONYMOUS;
    }
    String owner = owner(caller.username());
    if (sessionHeader == null) {
      return owner;
    }
    if (!isValid(sessionHeader)) {
      throw new InvalidRequestException("invalid " + HEADER + " header: expected 1-128 characters of [A-Za-z0-9._:-]");
    }
    return owner + "/" + sessionHeader;
  }

  /** The username as the owner part of a session key: never contains '/', never equals {@value #ANONYMOUS}. */
  static String owner(String username) {
    StringBuilder sb = new StringBuilder(username.length());
    for (byte b : username.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c <= 0x20 || c >= 0x7f || c == '%' || c == '/') {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        sb.append((char) c);
      }
    }
    String owner = sb.toString();
    return owner.equals(ANONYMOUS) ? "%61" + owner.substring(1) : owner;
  }

  /** The next sequence number of {@code sessionKey}. */
  synchronized long next(String sessionKey) {
    long now = nanoClock.getAsLong();
    Counter c = sessions.get(sessionKey);
    if (c == null) {
      c = new Counter(floor);
      sessions.put(sessionKey, c);
      if (sessions.size() > maxTracked) {
        Iterator<Counter> eldest = sessions.values().iterator();
        evict(eldest.next());
        eldest.remove();
      }
    }
    c.lastUsed = now;
    return c.next++;
  }

  /** Drops sessions idle for longer than the idle timeout; returns how many were dropped. */
  synchronized int evictIdle() {
    long now = nanoClock.getAsLong();
    int dropped = 0;
    Iterator<Counter> it = sessions.values().iterator();
    while (it.hasNext()) {
      Counter c = it.next();
      if (now - c.lastUsed < idleNanos) {
        break; // access order: everything after this one was used more recently
      }
      evict(c);
      it.remove();
      dropped++;
    }
    return dropped;
  }

  synchronized int tracked() {
    return sessions.size();
  }

  private void evict(Counter c) {
    floor = Math.max(floor, c.next);
  }

  private static final class Counter {
    long next;
    long lastUsed;

    Counter(long start) {
      this.next = start;
    }
  }
}

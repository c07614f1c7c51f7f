package dev.vigil.streams.notify;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLHandshakeException;

/**
 * What is worth retrying, and how long to wait. Retryable: connection errors and timeouts, {@code 408}, {@code 429} and
 * every {@code 5xx}. Not retryable: any other status (a {@code 3xx} included: redirects are not followed, a signed
 * alert goes only where it was configured to go), a TLS handshake failure (an untrusted certificate does not fix itself
 * within seconds). Delays grow exponentially with "equal jitter" (attempt n waits between half and all of
 * {@code min(max, initial * 2^(n-1))}); a {@code Retry-After} header (seconds or HTTP date) lengthens the wait to what the
 * receiver asked, but never beyond the maximum backoff, so one receiver cannot stall the consumer indefinitely.
 */
final class RetryPolicy {

  private final long initialMillis;
  private final long maxMillis;

  RetryPolicy(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
  }

  static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500 && status <= 599;
  }

  /** Whether a failure to get any response ({@code send} threw) is worth another attempt. */
  static boolean retryable(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof SSLHandshakeException) {
      return false;
    }
    return e instanceof HttpTimeoutException || e instanceof IOException;
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The wait a {@code Retry-After} value asks for, in millis (0 for a date in the past), or -1 if absent or unreadable. */
  static long retryAfterMillis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String v = header.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      return v.length() > 9 ? Long.MAX_VALUE : Long.parseLong(v) * 1000;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, Duration.between(now, at).toMillis());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** The upper bound of the jittered delay before retry number {@code attempt} (1-based). */
  long ceilingMillis(int attempt) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long d = initialMillis << shift;
    return d <= 0 || d > maxMillis ? maxMillis : d;
  }

  /** The delay before retry number {@code attempt}: the jittered backoff or Retry-After if longer, at most the maximum. */
  long delayMillis(int attempt, long retryAfterMillis) {
    long ceiling = ceilingMillis(attempt);
    long half = ceiling / 2;
    long backoff = half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    return Math.min(maxMillis, Math.max(backoff, retryAfterMillis));
  }

  long maxMillis() {
    return maxMillis;
  }
}

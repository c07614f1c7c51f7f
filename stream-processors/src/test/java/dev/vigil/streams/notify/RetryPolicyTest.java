package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1));

  @Test
  void shouldRetryOnly408And429And5xx() {
    assertThat(RetryPolicy.retryableStatus(408)).isTrue();
    assertThat(RetryPolicy.retryableStatus(429)).isTrue();
    assertThat(RetryPolicy.retryableStatus(500)).isTrue();
    assertThat(RetryPolicy.retryableStatus(503)).isTrue();
    assertThat(RetryPolicy.retryableStatus(599)).isTrue();
    assertThat(RetryPolicy.retryableStatus(400)).isFalse();
    assertThat(RetryPolicy.retryableStatus(401)).isFalse();
    assertThat(RetryPolicy.retryableStatus(404)).isFalse();
    assertThat(RetryPolicy.retryableStatus(410)).isFalse();
    assertThat(RetryPolicy.retryableStatus(301)).isFalse();
  }

  @Test
  void shouldRetryConnectionErrorsAndTimeoutsButNotTlsFailures() {
    assertThat(RetryPolicy.retryable(new ConnectException())).isTrue();
    assertThat(RetryPolicy.retryable(new HttpConnectTimeoutException("HTTP connect timed out"))).isTrue();
    assertThat(RetryPolicy.retryable(new CompletionException(new HttpTimeoutException("request timed out")))).isTrue();
    assertThat(RetryPolicy.retryable(new IOException("connection reset"))).isTrue();
    assertThat(RetryPolicy.retryable(new SSLHandshakeException("PKIX path building failed"))).isFalse();
    assertThat(RetryPolicy.retryable(new IllegalArgumentException("bad"))).isFalse();
  }

  @Test
  void shouldReadRetryAfterInSecondsOrAsADate() {
    Instant now = Instant.parse("2025-03-01T12:00:00Z");

    assertThat(RetryPolicy.retryAfterMillis("7", now)).isEqualTo(7000);
    assertThat(RetryPolicy.retryAfterMillis(" 0 ", now)).isZero();
    assertThat(RetryPolicy.retryAfterMillis("Sat, 01 Mar 2025 12:00:30 GMT", now)).isEqualTo(30_000);
    assertThat(RetryPolicy.retryAfterMillis("Sat, 01 Mar 2025 11:00:00 GMT", now)).isZero();
    assertThat(RetryPolicy.retryAfterMillis("soon", now)).isEqualTo(-1);
    assertThat(RetryPolicy.retryAfterMillis(null, now)).isEqualTo(-1);
    assertThat(RetryPolicy.retryAfterMillis("99999999999999", now)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldBackOffExponentiallyWithJitterUpToTheMaximum() {
    for (int i = 0; i < 50; i++) {
      assertThat(policy.delayMillis(1, -1)).isBetween(50L, 100L);
      assertThat(policy.delayMillis(2, -1)).isBetween(100L, 200L);
      assertThat(policy.delayMillis(3, -1)).isBetween(200L, 400L);
      assertThat(policy.delayMillis(10, -1)).isBetween(500L, 1000L);
      assertThat(policy.delayMillis(1000, -1)).isBetween(500L, 1000L);
    }
  }

  @Test
  void shouldWaitForRetryAfterButNotBeyondTheMaximum() {
    assertThat(policy.delayMillis(1, 700)).isEqualTo(700);
    assertThat(policy.delayMillis(1, 60_000)).isEqualTo(1000);
    assertThat(policy.delayMillis(1, Long.MAX_VALUE)).isEqualTo(1000);
    assertThat(policy.delayMillis(1, 0)).isBetween(50L, 100L);
  }
}

package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionKeysTest {

  private static CallerIdentity caller(String username) {
    return new CallerIdentity("sub-" + username, username, List.of("g"), "https://issuer");
  }

  @Test
  void shouldScopeTheSessionHeaderToTheCallersUsername() throws Exception {
    assertThat(SessionKeys.resolve(null, caller("alice"))).isEqualTo("alice");
    assertThat(SessionKeys.resolve("task-42:run.1_a", caller("alice"))).isEqualTo("alice/task-42:run.1_a");
    assertThat(SessionKeys.resolve("alice", caller("bob"))).isEqualTo("bob/alice");
    assertThat(SessionKeys.resolve(null, CallerIdentity.ANONYMOUS)).isEqualTo("anonymous");
  }

  @Test
  void shouldNeverLetOneIdentityReachAnotherIdentitysSessionOrTheAnonymousOne() throws Exception {
    // a username containing '/' cannot pose as "<user>/<session>" of another identity
    assertThat(SessionKeys.resolve(null, caller("alice/task-1"))).isEqualTo("alice%2Ftask-1")
        .isNotEqualTo(SessionKeys.resolve("task-1", caller("alice")));
    assertThat(SessionKeys.resolve(null, caller("anonymous"))).isEqualTo("%61nonymous");
    assertThat(SessionKeys.resolve("x", caller("anonymous"))).isEqualTo("%61nonymous/x");
    assertThat(SessionKeys.resolve(null, caller("50%"))).isEqualTo("50%25");
    assertThat(SessionKeys.owner("https://issuer.example#jürgen ok")).isEqualTo("https:%2F%2Fissuer.example#j%C3%BCrgen%20ok");
    assertThat(SessionKeys.owner("alice@example.com")).isEqualTo("alice@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/es", "ünïcode", "semi;colon", "new\nline"})
  void shouldRejectMalformedSessionHeaders(String header) {
    assertThatThrownBy(() -> SessionKeys.resolve(header, caller("alice"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("X-Vigil-Session");
  }

  @Test
  void shouldAcceptUpTo128Characters() throws Exception {
    assertThat(SessionKeys.isValid("a".repeat(128))).isTrue();
    assertThat(SessionKeys.isValid("a".repeat(129))).isFalse();
  }

  @Test
  void shouldNumberEventsPerSession() {
    SessionKeys keys = new SessionKeys(10, Duration.ofHours(1), System::nanoTime);

    assertThat(keys.next("a")).isEqualTo(0);
    assertThat(keys.next("a")).isEqualTo(1);
    assertThat(keys.next("b")).isEqualTo(0);
    assertThat(keys.next("a")).isEqualTo(2);
  }

  @Test
  void shouldEvictIdleSessionsYetStayMonotonicWhenTheyReturn() {
    AtomicLong now = new AtomicLong();
    SessionKeys keys = new SessionKeys(10, Duration.ofSeconds(60), now::get);
    for (int i = 0; i < 5; i++) {
      keys.next("old");
    }
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    keys.next("fresh");
    now.addAndGet(Duration.ofSeconds(40).toNanos());

    assertThat(keys.evictIdle()).isEqualTo(1);
    assertThat(keys.tracked()).isEqualTo(1);
    assertThat(keys.next("old")).isGreaterThanOrEqualTo(5);
    assertThat(keys.next("fresh")).isEqualTo(1);
  }

  @Test
  void shouldBoundTheNumberOfTrackedSessions() {
    SessionKeys keys = new SessionKeys(3, Duration.ofHours(1), System::nanoTime);
    keys.next("a");
    keys.next("a");
    keys.next("b");
    keys.next("c");
    keys.next("d"); // evicts "a", the least recently used

    assertThat(keys.tracked()).isEqualTo(3);
    assertThat(keys.next("a")).isGreaterThanOrEqualTo(2);
  }
}

package dev.vigil.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.proxy.CapturedLogs;

class PolicyStoreTest {

  private static final String ALLOW_ALL = "rules:\n  - {id: everything, effect: allow, match: all}\n";
  private static final String DENY_ALL = "defaultEffect: deny\n";
  private static final String BROKEN = "rules:\n  - {id: oops, effect: deny, match: all}\n";

  @TempDir
  Path dir;

  private Path write(String content) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static PolicyEffect effect(PolicyStore store) {
    return store.current().evaluate(Requests.base().build()).effect();
  }

  @Test
  void shouldReloadOnChangeAndKeepTheOldPolicyOnABadFile() throws Exception {
    Path file = write(ALLOW_ALL);
    try (PolicyStore store = PolicyStore.open(file); CapturedLogs logs = new CapturedLogs()) {
      Policy first = store.current();
      assertThat(effect(store)).isEqualTo(PolicyEffect.ALLOW);
      assertThat(store.checkForChanges()).isFalse();

      write(BROKEN);
      assertThat(store.checkForChanges()).isFalse();
      assertThat(store.checkForChanges()).isFalse();

      assertThat(store.current()).isSameAs(first);
      assertThat(store.reloadFailures()).isEqualTo(1);
      assertThat(store.loaded()).isEqualTo(1);
      assertThat(logs.all()).contains("rules[0] (id \"oops\").reason: is required for a deny rule");

      write(DENY_ALL);
      assertThat(store.checkForChanges()).isTrue();
      assertThat(effect(store)).isEqualTo(PolicyEffect.DENY);
      assertThat(store.loaded()).isEqualTo(2);

      Files.delete(file);
      assertThat(store.checkForChanges()).isFalse();
      assertThat(effect(store)).isEqualTo(PolicyEffect.DENY);
      assertThat(store.reloadFailures()).isEqualTo(2);

      write(BROKEN);
      assertThat(store.checkForChanges()).isFalse();
      assertThat(store.reloadFailures()).isEqualTo(3);
    }
  }

  @Test
  void shouldPollOnItsOwnThread() throws Exception {
    Path file = write(ALLOW_ALL);
    try (PolicyStore store = PolicyStore.open(file).start(Duration.ofMillis(20))) {
      write(DENY_ALL);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (store.loaded() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(store.loaded()).isEqualTo(2);
      assertThat(effect(store)).isEqualTo(PolicyEffect.DENY);
    }
  }

  @Test
  void shouldRefuseAnInvalidInitialFile() throws Exception {
    Path file = write(BROKEN);

    assertThatThrownBy(() -> PolicyStore.open(file))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("rules[0] (id \"oops\").reason");
  }
}

package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveredIdsTest {

  @Test
  void shouldForgetTheLeastRecentlySeenIdBeyondTheBound() {
    DeliveredIds ids = new DeliveredIds(2);
    ids.add("a");
    ids.add("b");
    assertThat(ids.contains("a")).isTrue(); // a is now more recent than b

    ids.add("c");

    assertThat(ids.size()).isEqualTo(2);
    assertThat(ids.contains("b")).isFalse();
    assertThat(ids.contains("a")).isTrue();
    assertThat(ids.contains("c")).isTrue();
  }

  @Test
  void shouldRememberUpToTheBound() {
    DeliveredIds ids = new DeliveredIds(1000);
    for (int i = 0; i < 1500; i++) {
      ids.add("id-" + i);
    }

    assertThat(ids.size()).isEqualTo(1000);
    assertThat(ids.contains("id-499")).isFalse();
    assertThat(ids.contains("id-500")).isTrue();
    assertThat(ids.contains("id-1499")).isTrue();
  }

  @Test
  void shouldRefuseANonPositiveBound() {
    assertThatThrownBy(() -> new DeliveredIds(0)).isInstanceOf(IllegalArgumentException.class);
  }
}

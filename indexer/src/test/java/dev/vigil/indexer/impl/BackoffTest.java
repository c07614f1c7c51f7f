package dev.vigil.indexer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void shouldGrowExponentiallyUpToTheBound() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    assertThat(b.ceilingMillis(1)).isEqualTo(100);
    assertThat(b.ceilingMillis(2)).isEqualTo(200);
    assertThat(b.ceilingMillis(4)).isEqualTo(800);
    assertThat(b.ceilingMillis(6)).isEqualTo(2000);
    assertThat(b.ceilingMillis(1000)).isEqualTo(2000);
  }

  @Test
  void shouldJitterWithinHalfToFullCeiling() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    for (int attempt = 1; attempt < 50; attempt++) {
      long ceiling = b.ceilingMillis(attempt);
      assertThat(b.delayMillis(attempt)).isBetween(ceiling / 2, ceiling);
    }
  }
}

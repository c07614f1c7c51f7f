package dev.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoFormatsTest {

  @Test
  void shouldSpellDurationsLikeGo() {
    assertThat(GoFormats.duration(0)).isEqualTo("0s");
    assertThat(GoFormats.duration(1)).isEqualTo("1ns");
    assertThat(GoFormats.duration(1_500)).isEqualTo("1.5\u00b5s");
    assertThat(GoFormats.duration(1_500_000)).isEqualTo("1.5ms");
    assertThat(GoFormats.duration(1_000_000_000L)).isEqualTo("1s");
    assertThat(GoFormats.duration(90_000_000_000L)).isEqualTo("1m30s");
    assertThat(GoFormats.duration(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoFormats.duration(3_723_500_000_000L)).isEqualTo("1h2m3.5s");
    assertThat(GoFormats.duration(-5_000_000_000L)).isEqualTo("-5s");
  }

  @Test
  void shouldSpellTimesLikeTheApiServer() {
    assertThat(GoFormats.time(1_767_225_600L)).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(GoFormats.microTime(1_767_225_600L, 123_456_789)).isEqualTo("2026-01-01T00:00:00.123456Z");
    assertThat(GoFormats.microTime(1_767_225_600L, 0)).isEqualTo("2026-01-01T00:00:00.000000Z");
  }
}

package dev.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class Utf8Test {

  private static final byte[] CAFE = "café".getBytes(StandardCharsets.UTF_8); // é is two bytes

  @Test
  void shouldDecodeValidUtf8AndReportInvalidBytesAsNull() {
    assertThat(Utf8.strict(CAFE)).isEqualTo("café");
    assertThat(Utf8.strict(new byte[] {'a', (byte) 0xff})).isNull();
  }

  @Test
  void shouldDropACharacterCutAtTheEndOnlyWhenTheBodyWasCut() {
    byte[] cut = Arrays.copyOf(CAFE, CAFE.length - 1);
    assertThat(Utf8.strictCut(cut, true)).isEqualTo("caf");
    assertThat(Utf8.strictCut(cut, false)).isNull();
    assertThat(Utf8.strictCut(new byte[] {(byte) 0xff, 'a', 'b', 'c', 'd'}, true)).as("invalid before the last three bytes").isNull();
  }
}

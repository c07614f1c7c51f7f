package dev.vigil.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KubeNamesTest {

  @Test
  void shouldAcceptAnOrdinaryName() {
    assertThat(KubeNames.refusal("oidc:agent-1")).isNull();
  }

  @Test
  void shouldRefuseEmptyPaddedReservedAndControlCharacterNames() {
    assertThat(KubeNames.refusal("")).isEqualTo(KubeNames.Refusal.EMPTY_OR_PADDED);
    assertThat(KubeNames.refusal(" system:masters")).isEqualTo(KubeNames.Refusal.EMPTY_OR_PADDED);
    assertThat(KubeNames.refusal("ops\t")).isEqualTo(KubeNames.Refusal.EMPTY_OR_PADDED);
    assertThat(KubeNames.refusal("SYSTEM:anonymous")).isEqualTo(KubeNames.Refusal.RESERVED);
    assertThat(KubeNames.refusal("alice\r\nImpersonate-User: root")).isEqualTo(KubeNames.Refusal.CONTROL_CHARACTERS);
    assertThat(KubeNames.refusal("ops\u007f")).isEqualTo(KubeNames.Refusal.CONTROL_CHARACTERS);
  }

  @Test
  void shouldTreatAnEmailAsUnverifiedOnlyWhenTheClaimSaysSoAndTheUsernameIsTheEmail() {
    assertThat(KubeNames.unverifiedEmail("email", Map.of("email_verified", false))).isTrue();
    assertThat(KubeNames.unverifiedEmail("email", Map.of("email_verified", "true"))).isTrue();
    assertThat(KubeNames.unverifiedEmail("email", Map.of("email_verified", true))).isFalse();
    assertThat(KubeNames.unverifiedEmail("email", Map.of())).isFalse();
    assertThat(KubeNames.unverifiedEmail("sub", Map.of("email_verified", false))).isFalse();
  }
}

package dev.vigil.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackHostsTest {

  @Test
  void shouldRecogniseLoopbackLiteralsWithoutResolvingNames() {
    assertThat(LoopbackHosts.isLoopback("127.0.0.1")).isTrue();
    assertThat(LoopbackHosts.isLoopback("127.8.9.10")).isTrue();
    assertThat(LoopbackHosts.isLoopback("::1")).isTrue();
    assertThat(LoopbackHosts.isLoopback("[::1]")).isTrue();
    assertThat(LoopbackHosts.isLoopback("localhost")).isTrue();
    assertThat(LoopbackHosts.isLoopback("10.0.0.1")).isFalse();
    assertThat(LoopbackHosts.isLoopback("localhost.evil.example")).isFalse();
    assertThat(LoopbackHosts.isLoopback("login.example.com")).isFalse();
  }
}

package dev.vigil.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class NginxConfigTest {

  private static NginxConfig.Settings settings(String token) {
    return new NginxConfig.Settings(Path.of("/w/nginx"), 18443, Path.of("/w/tls/proxy.crt"), Path.of("/w/tls/proxy.key"),
        6443, Path.of("/w/ca.crt"), token, 2);
  }

  @Test
  void shouldProxyOverTlsToAKeepAlivePoolWithoutBuffering() {
    String conf = NginxConfig.render(settings("gw-token-1"));

    assertThat(conf)
        .contains("listen 127.0.0.1:18443 ssl;")
        .contains("ssl_certificate /w/tls/proxy.crt;")
        .contains("server 127.0.0.1:6443;")
        .contains("keepalive 256;")
        .contains("proxy_pass https://kube_sim;")
        .contains("proxy_http_version 1.1;")
        .contains("proxy_set_header Connection \"\";")
        .contains("proxy_buffering off;")
        .contains("proxy_ssl_verify on;")
        .contains("proxy_ssl_trusted_certificate /w/ca.crt;")
        .contains("pid /w/nginx/nginx.pid;")
        .contains("access_log off;");
    // the caller's Authorization is replaced by the gateway's token, once
    assertThat(conf.split("proxy_set_header Authorization", -1)).hasSize(2);
    assertThat(conf).contains("proxy_set_header Authorization \"Bearer gw-token-1\";");
    // braces balance (nginx refuses the file otherwise)
    assertThat(conf.chars().filter(c -> c == '{').count()).isEqualTo(conf.chars().filter(c -> c == '}').count());
  }

  @Test
  void shouldRefuseATokenThatWouldBreakOutOfTheDirective() {
    assertThatThrownBy(() -> NginxConfig.render(settings("x\"; return 200; #")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NginxConfig.render(settings(""))).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;

class UpstreamFailuresTest {

  @Test
  void shouldClassifyFailuresAndChooseTheStatus() {
    assertThat(UpstreamFailures.classify(new ConnectException("Connection refused"))).satisfies(f -> {
      assertThat(f.type()).isEqualTo("CONNECT_FAILED");
      assertThat(f.status()).isEqualTo(502);
    });
    assertThat(UpstreamFailures.classify(new VertxException(new TimeoutException("x")))).satisfies(f -> {
      assertThat(f.type()).isEqualTo("TIMEOUT");
      assertThat(f.status()).isEqualTo(504);
    });
    assertThat(UpstreamFailures.classify(new io.netty.channel.ConnectTimeoutException("connection timed out")).type())
        .isEqualTo("TIMEOUT");
    assertThat(UpstreamFailures.classify(new SSLHandshakeException("bad cert")).type()).isEqualTo("TLS");
    assertThat(UpstreamFailures.classify(new HttpClosedException("closed")).type()).isEqualTo("RESET");
    assertThat(UpstreamFailures.classify(new IllegalStateException("?")).type()).isEqualTo("UPSTREAM_FAILURE");
  }

  @Test
  void shouldWriteKubernetesStatusBodies() {
    var json = StatusErrors.unauthorized("token expired").toJson();

    assertThat(json.getString("kind")).isEqualTo("Status");
    assertThat(json.getString("apiVersion")).isEqualTo("v1");
    assertThat(json.getJsonObject("metadata").isEmpty()).isTrue();
    assertThat(json.getString("status")).isEqualTo("Failure");
    assertThat(json.getString("reason")).isEqualTo("Unauthorized");
    assertThat(json.getInteger("code")).isEqualTo(401);
    assertThat(json.getString("message")).contains("token expired");
    assertThat(StatusErrors.tooLarge(10).code()).isEqualTo(413);
    assertThat(StatusErrors.upstreamUnavailable("h:1", "cannot connect").message()).contains("h:1").contains("unavailable");
    assertThat(StatusErrors.upstreamTimeout("h:1").code()).isEqualTo(504);
  }
}

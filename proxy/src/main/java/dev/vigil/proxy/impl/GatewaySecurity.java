package dev.vigil.proxy.impl;

import java.util.List;

import dev.vigil.proxy.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * The gateway's security set-up, started before it listens: the upstream target and its live credential
 * ({@link UpstreamTarget}, {@link UpstreamCredentials}), the trusted issuers and the authenticator
 * ({@link TrustedIssuers}, {@link TokenAuthenticator}), the header policy (impersonation on or off), and the TLS
 * listener options (HTTP/2 via ALPN besides HTTP/1.1).
 */
final class GatewaySecurity {

  /** Go's HTTP/2 server default; each stream of a watch also holds one upstream HTTP/1.1 connection. */
  static final long MAX_CONCURRENT_STREAMS = 250;

  private final UpstreamTarget target;
  private final UpstreamCredentials credentials;
  private final TrustedIssuers issuers;
  private final TokenAuthenticator authenticator;
  private final HeaderPolicy headerPolicy;

  private GatewaySecurity(UpstreamTarget target, UpstreamCredentials credentials, TrustedIssuers issuers,
      boolean impersonate) {
    this.target = target;
    this.credentials = credentials;
    this.issuers = issuers;
    this.authenticator = new TokenAuthenticator(issuers, () -> System.currentTimeMillis() / 1000);
    this.headerPolicy = new HeaderPolicy(credentials::authorization, impersonate);
  }

  /** Reads the upstream, obtains its credential and discovers every issuer; fails (releasing all) if one fails. */
  static Future<GatewaySecurity> start(Vertx vertx, ProxyConfig config) {
    return vertx.executeBlocking(() -> UpstreamTarget.load(config), false)
        .compose(target -> UpstreamCredentials.start(vertx, target, config)
            .compose(credentials -> TrustedIssuers.discover(vertx, config)
                .map(issuers -> new GatewaySecurity(target, credentials, issuers, config.impersonation()))
                .onFailure(err -> credentials.close())));
  }

  /**
   * The TLS listener: HTTP/2 (ALPN {@code h2}) and HTTP/1.1, or HTTP/1.1 only with {@code http2.enabled=false}; the
   * request head limits ({@code server.max-header-bytes}, {@code server.max-initial-line-bytes}) apply to both.
   */
  static HttpServerOptions listenOptions(ProxyConfig config) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(config.tlsCertFile().toString())
            .setKeyPath(config.tlsKeyFile().toString()))
        .setCompressionSupported(false)
        .setHttp2ClearTextEnabled(false)
        .setMaxHeaderSize(config.serverMaxHeaderBytes())
        .setMaxInitialLineLength(config.serverMaxInitialLineBytes());
    if (config.http2()) {
      options.setUseAlpn(true)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
          .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS)
              .setMaxHeaderListSize(config.serverMaxHeaderBytes()));
    } else {
      options.setUseAlpn(false);
    }
    return options;
  }

  UpstreamTarget target() {
    return target;
  }

  /** The gateway's own live upstream Authorization value (null with a client certificate), e.g. for label lookups. */
  java.util.function.Supplier<String> upstreamAuthorization() {
    return credentials::authorization;
  }

  TokenAuthenticator authenticator() {
    return authenticator;
  }

  HeaderPolicy headerPolicy() {
    return headerPolicy;
  }

  /** The accepted issuer identifiers, for the start-up log line. */
  List<String> issuers() {
    return issuers.identifiers();
  }

  void close() {
    issuers.close();
    credentials.close();
  }
}

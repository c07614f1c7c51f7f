package dev.vigil.proxy.impl;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RecordingSink;
import dev.vigil.proxy.VigilProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/** Wires the gateway together and owns its lifecycle: TLS server, upstream client, OIDC keys, recording sink. */
public final class VigilProxyImpl implements VigilProxy {

  private static final Logger LOG = LoggerFactory.getLogger(VigilProxyImpl.class);
  /** Unknown key ids trigger at most one JWKS fetch per this many milliseconds. */
  static final long JWKS_MIN_REFRESH_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpServer server;
  private final UpstreamOrigin origin;
  private final OidcKeys keys;
  private final CountingSink sink;
  private final long evictionTimer;

  private VigilProxyImpl(Vertx vertx, HttpServer server, UpstreamOrigin origin, OidcKeys keys, CountingSink sink,
      long evictionTimer) {
    this.vertx = vertx;
    this.server = server;
    this.origin = origin;
    this.keys = keys;
    this.sink = sink;
    this.evictionTimer = evictionTimer;
  }

  /** Starts a gateway; with a null {@code sink} it creates the Kafka sink from the configuration. */
  public static Future<VigilProxy> start(Vertx vertx, ProxyConfig config, RecordingSink sink) {
    Future<UpstreamTarget> upstream = vertx.executeBlocking(() -> UpstreamTarget.fromKubeconfig(config.upstreamKubeconfig()), false);
    return upstream.compose(target -> OidcKeys.discover(vertx, config.oidcIssuer(), config.oidcCaFile(), JWKS_MIN_REFRESH_MILLIS)
        .compose(keys -> (sink != null ? Future.succeededFuture(sink) : KafkaRecordingSink.create(vertx, config).<RecordingSink>map(s -> s))
            .compose(s -> listen(vertx, config, target, keys, new CountingSink(s))
                .onFailure(err -> {
                  keys.close();
                  if (sink == null) {
                    s.close();
                  }
                }))
            .onFailure(err -> keys.close())));
  }

  private static Future<VigilProxy> listen(Vertx vertx, ProxyConfig config, UpstreamTarget target, OidcKeys keys,
      CountingSink sink) {
    SessionKeys sessions = new SessionKeys(config.sessionsMaxTracked(), config.sessionsIdleTimeout(), System::nanoTime);
    EventFactory events = new EventFactory(config.gatewayId(), sessions, System::currentTimeMillis);
    CallRecorder recorder = new CallRecorder(events, sink, System::nanoTime);
    ClaimsValidator claims = new ClaimsValidator(keys.issuer(), config.oidcAudience(), config.usernameClaim(),
        config.groupsClaim(), config.clockSkew().toSeconds());
    TokenAuthenticator authenticator = new TokenAuthenticator(keys, claims, () -> System.currentTimeMillis() / 1000);
    UpstreamOrigin origin = new UpstreamOrigin(vertx, target, config.upstreamConnectTimeout(),
        config.upstreamIdleTimeout(), config.upstreamMaxConnections());
    GatewayInterceptor gateway = new GatewayInterceptor(authenticator, new HeaderPolicy(target.authorizationHeader()),
        recorder, new ShortCircuits(), target, config.maxRequestBodyBytes(), config.recordMaxBodyBytes(),
        System::nanoTime, System::currentTimeMillis);
    HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), origin.client())
        .origin(origin)
        .addInterceptor(gateway, true);
    HealthHandler health = new HealthHandler(config.gatewayId(), sink, sessions);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(config.tlsCertFile().toString())
            .setKeyPath(config.tlsKeyFile().toString()))
        .setCompressionSupported(false);
    HttpServer server = vertx.createHttpServer(options).requestHandler((HttpServerRequest req) -> {
      if (HealthHandler.PATH.equals(req.path())) {
        health.handle(req);
        return;
      }
      req.pause(); // authentication is asynchronous: hold the body until the gateway decides
      proxy.handle(req);
    });
    long period = sweepPeriod(config.sessionsIdleTimeout()).toMillis();
    return server.listen()
        .<VigilProxy>map(s -> {
          long timer = vertx.setPeriodic(period, id -> sessions.evictIdle());
          LOG.info("Vigil gateway {} listening on https://{}:{} in front of {} (issuer {})", config.gatewayId(),
              config.host(), s.actualPort(), target, keys.issuer());
          return new VigilProxyImpl(vertx, s, origin, keys, sink, timer);
        })
        .onFailure(err -> origin.close());
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(evictionTimer);
    return server.close()
        .eventually(() -> origin.close())
        .eventually(() -> {
          keys.close();
          return sink.close();
        })
        .onComplete(ar -> LOG.info("Vigil gateway stopped ({} events recorded, {} failed)", sink.recorded(), sink.failed()));
  }

  /** How often idle sessions are swept: a quarter of the idle timeout, between 1 s and 1 min. */
  static Duration sweepPeriod(Duration idleTimeout) {
    return Duration.ofMillis(Math.max(1_000, Math.min(60_000, idleTimeout.toMillis() / 4)));
  }
}

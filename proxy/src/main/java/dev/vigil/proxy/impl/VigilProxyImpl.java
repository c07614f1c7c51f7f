package dev.vigil.proxy.impl;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.proxy.ProxyConfig;
import dev.vigil.proxy.RecordingSink;
import dev.vigil.proxy.VigilProxy;
import dev.vigil.ops.KafkaReachability;
import dev.vigil.ops.Readiness;
import dev.vigil.proxy.llm.LlmChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/** Wires the gateway together and owns its lifecycle: TLS server, upstream client, OIDC keys, recording sink. */
public final class VigilProxyImpl implements VigilProxy {

  private static final Logger LOG = LoggerFactory.getLogger(VigilProxyImpl.class);
  /** WebSocket frame and message limits on both sides of a relay (kube-apiserver's frames are at most 32 KiB). */
  static final int MAX_WEBSOCKET_FRAME = 1024 * 1024;
  static final int MAX_WEBSOCKET_MESSAGE = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpServer server;
  private final UpstreamOrigin origin;
  private final WebSocketClient webSockets;
  private final GatewaySecurity security;
  private final CountingSink sink;
  private final long evictionTimer;
  private final Governance governance;
  private final LlmChannel llm;
  private final Readiness readiness;
  private final ProxyMetrics metrics;

  private VigilProxyImpl(Vertx vertx, HttpServer server, UpstreamOrigin origin, WebSocketClient webSockets,
      GatewaySecurity security, CountingSink sink, long evictionTimer, Governance governance, LlmChannel llm,
      Readiness readiness, ProxyMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.readiness = readiness;
    this.llm = llm;
    this.governance = governance;
    this.server = server;
    this.origin = origin;
    this.webSockets = webSockets;
    this.security = security;
    this.sink = sink;
    this.evictionTimer = evictionTimer;
  }

  /** Starts a gateway; with a null {@code sink} it creates the Kafka sink from the configuration. */
  public static Future<VigilProxy> start(Vertx vertx, ProxyConfig config, RecordingSink sink) {
    SessionKeys sessions = new SessionKeys(config.sessionsMaxTracked(), config.sessionsIdleTimeout(), System::nanoTime);
    return GatewaySecurity.start(vertx, config)
        .compose(security -> (sink != null ? Future.succeededFuture(sink)
                : KafkaRecordingSink.create(vertx, config, sessions::next).<RecordingSink>map(s -> s))
            .compose(s -> listen(vertx, config, security, new CountingSink(s), sessions, readiness(config, sink == null))
                .onFailure(err -> {
                  if (sink == null) {
                    s.close();
                  }
                }))
            .onFailure(err -> security.close()));
  }

  /** Ready when Kafka answers; a sink given by the caller (tests, embedding) has no dependency to check. */
  private static Readiness readiness(ProxyConfig config, boolean kafkaSink) {
    return new Readiness(kafkaSink
        ? List.of(new KafkaReachability(config.kafkaProducer(), Readiness.DEFAULT_TIMEOUT)) : List.of());
  }

  private static Future<VigilProxy> listen(Vertx vertx, ProxyConfig config, GatewaySecurity security,
      CountingSink sink, SessionKeys sessions, Readiness readiness) {
    UpstreamTarget target = security.target();
    Governance governance;
    try {
      governance = Governance.open(vertx, config, target, security.upstreamAuthorization());
    } catch (RuntimeException e) {
      readiness.close();
      return Future.failedFuture(e);
    }
    EventFactory events = new EventFactory(config.gatewayId(), sessions, System::currentTimeMillis, governance.masking(),
        governance.secretFingerprints());
    CallRecorder recorder = new CallRecorder(events, sink, System::nanoTime);
    UpstreamOrigin origin = new UpstreamOrigin(vertx, target, config.upstreamConnectTimeout(),
        config.upstreamIdleTimeout(), config.upstreamMaxConnections());
    GatewayLimits limits = GatewayLimits.from(config);
    ResponseMasking masking = governance.responseMasking(limits);
    WebSocketClient webSockets = vertx.createWebSocketClient(webSocketOptions(target, config));
    StrictRecording strict = new StrictRecording(vertx, config.recordingStrictTimeout().toMillis());
    GatewayInterceptor gateway = new GatewayInterceptor(vertx, security.authenticator(), security.headerPolicy(),
        recorder, new ShortCircuits(), target,
        new WebSocketRelays(webSockets, target, recorder, limits, config.upstreamConnectTimeout(), masking),
        governance.gate(), limits,
        System::nanoTime, System::currentTimeMillis, strict, masking);
    PreflightGuard preflight = new PreflightGuard(gateway, recorder);
    LlmChannel llm = new LlmChannel(vertx, config.llm(), new LlmBridge(vertx, security.authenticator(), governance.gate(),
        recorder, strict, limits.streams(), governance.masking(), System::nanoTime, System::currentTimeMillis),
        config.upstreamConnectTimeout(), limits.bodyIdleMillis());
    IdleConnections idle = new IdleConnections(vertx, config.serverIdleTimeout().toMillis());
    HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), origin.client())
        .origin(origin)
        .addInterceptor(gateway, true);
    HealthHandler health = new HealthHandler(config.gatewayId(), sink, sessions, security.authenticator(), strict,
        recorder, governance, vertx, readiness);
    ProxyMetrics metrics = new ProxyMetrics(config.gatewayId(), sink, sessions, strict, recorder);

    HttpServerOptions options = GatewaySecurity.listenOptions(config)
        .setWebSocketSubProtocols(List.of("*")) // the relay answers with exactly the subprotocol the upstream chose
        .setMaxWebSocketFrameSize(MAX_WEBSOCKET_FRAME)
        .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE);
    long headerTimeout = config.serverRequestHeaderTimeout().toMillis();
    MalformedRequests malformed = new MalformedRequests(gateway, recorder, options.getMaxHeaderSize(),
        options.getMaxInitialLineLength());
    HttpServer server = vertx.createHttpServer(options).connectionHandler(conn -> {
      if (StrictRequestDecoder.install(conn, options, headerTimeout)) {
        idle.connected(conn);
      }
    }).invalidRequestHandler(malformed::handle).requestHandler((HttpServerRequest req) -> {
      if (ClosingConnections.closing(req.connection())) {
        return; // pipelined behind a refusal that closes the connection: not processed
      }
      idle.started(req);
      if (health.handles(req.path())) {
        health.handle(req);
        return;
      }
      req.pause(); // authentication is asynchronous: hold the body until the gateway decides
      String llmPath = llmPath(req.path());
      if (llmPath != null) {
        llm.handle(req, llmPath); // the LLM channel: never the Kubernetes path
        return;
      }
      if (preflight.admit(req)) {
        proxy.handle(req);
      }
    });
    long period = sweepPeriod(config.sessionsIdleTimeout()).toMillis();
    return server.listen()
        .<VigilProxy>map(s -> {
          long timer = vertx.setPeriodic(period, id -> sessions.evictIdle());
          LOG.info("Vigil gateway {} listening on https://{}:{} ({}) in front of {} (issuers {}, impersonation {}, "
              + "LLM providers {})", config.gatewayId(), config.host(), s.actualPort(),
              config.http2() ? "HTTP/2 and HTTP/1.1" : "HTTP/1.1", target, security.issuers(),
              config.impersonation() ? "on" : "off", llm.providers());
          return new VigilProxyImpl(vertx, s, origin, webSockets, security, sink, timer, governance, llm, readiness,
              metrics);
        })
        .onFailure(err -> {
          origin.close();
          webSockets.close();
          llm.close();
          governance.close();
          readiness.close();
          metrics.close();
        });
  }

  /** The Secret values each session read (fingerprints), as the LLM channel checks them. */
  SecretFingerprints secretFingerprints() {
    return governance.secretFingerprints();
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
        .eventually(() -> webSockets.close())
        .eventually(() -> llm.close())
        .eventually(() -> {
          security.close();
          governance.close();
          readiness.close();
          metrics.close();
          return sink.close();
        })
        .onComplete(ar -> LOG.info("Vigil gateway stopped ({} events recorded, {} failed)", sink.recorded(), sink.failed()));
  }

  /** The WebSocket client towards the upstream: the same TLS trust and client certificate as the HTTP client. */
  static WebSocketClientOptions webSocketOptions(UpstreamTarget target, ProxyConfig config) {
    var http = target.clientOptions();
    return new WebSocketClientOptions()
        .setSsl(http.isSsl())
        .setTrustAll(http.isTrustAll())
        .setVerifyHost(http.isVerifyHost())
        .setTrustOptions(http.getTrustOptions())
        .setKeyCertOptions(http.getKeyCertOptions())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.upstreamConnectTimeout().toMillis()))
        .setMaxConnections(Math.max(1, config.upstreamMaxConnections()))
        .setMaxFrameSize(MAX_WEBSOCKET_FRAME)
        .setMaxMessageSize(MAX_WEBSOCKET_MESSAGE)
        .setTryUsePerMessageCompression(false)
        .setTryUsePerFrameCompression(false);
  }

  /**
   * The canonical path of a call for the LLM channel ({@code /llm} or below), else null. A path the canonicalisation
   * refuses but that starts with {@code /llm} goes to the LLM channel as it is: it matches no route there (404).
   */
  static String llmPath(String rawPath) {
    try {
      String canonical = CanonicalPath.canonicalize(rawPath);
      return LlmChannel.handles(canonical) ? canonical : null;
    } catch (InvalidRequestException e) {
      return rawPath != null && (rawPath.equals("/llm") || rawPath.startsWith("/llm/")) ? rawPath : null;
    }
  }

  /** How often idle sessions are swept: a quarter of the idle timeout, between 1 s and 1 min. */
  static Duration sweepPeriod(Duration idleTimeout) {
    return Duration.ofMillis(Math.max(1_000, Math.min(60_000, idleTimeout.toMillis() / 4)));
  }
}

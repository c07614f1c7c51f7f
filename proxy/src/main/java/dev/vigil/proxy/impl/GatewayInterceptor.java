package dev.vigil.proxy.impl;

import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Body;
import dev.vigil.schema.PolicyDecision;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The request side of the gateway, as a vertx-http-proxy interceptor: authenticate, resolve the session, canonicalise
 * and parse the path and query, bound and read the body, record RequestReceived, rewrite headers and URI, forward.
 * WebSocket upgrades are terminated here and relayed message by message ({@link WebSocketRelay}). Anything refused
 * is answered with a Kubernetes Status and recorded as a DENY; an unreachable upstream becomes a 502/504 Status and
 * an UpstreamError event; a failure of the gateway itself a 500 Status. The response side is {@link ResponseRecorder}.
 */
final class GatewayInterceptor implements ProxyInterceptor {

  static final String EXCHANGE = "vigil.exchange";
  static final String SPDY_REFUSED = "Vigil relays exec/attach/port-forward over WebSocket only; use kubectl >= 1.30 "
      + "(WebSocket is the default) or set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true (exec, attach, cp) and "
      + "KUBECTL_PORT_FORWARD_WEBSOCKETS=true (port-forward)";
  static final String WEBSOCKET_REFUSED = "WebSocket upgrades are relayed only for exec, attach and port-forward";
  /** The pod subresources whose WebSocket upgrade the gateway terminates and relays. */
  private static final java.util.Set<String> WEBSOCKET_SUBRESOURCES = java.util.Set.of("exec", "attach", "portforward");
  private static final Logger LOG = LoggerFactory.getLogger(GatewayInterceptor.class);

  private final Vertx vertx;
  private final TokenAuthenticator authenticator;
  private final RequestInfoParser parser = new RequestInfoParser();
  private final HeaderPolicy headers;
  private final CallRecorder recorder;
  private final ShortCircuits shortCircuits;
  private final UpstreamTarget upstream;
  private final WebSocketRelays relays;
  private final PolicyGate policy;
  private final GatewayLimits limits;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;
  private final StrictRecording strict;
  private final ResponseMasking masking;

  GatewayInterceptor(Vertx vertx, TokenAuthenticator authenticator, HeaderPolicy headers, CallRecorder recorder,
      ShortCircuits shortCircuits, UpstreamTarget upstream, WebSocketRelays relays, PolicyGate policy,
      GatewayLimits limits, LongSupplier nanoClock, LongSupplier wallClock, StrictRecording strict,
      ResponseMasking masking) {
    this.strict = strict;
    this.masking = masking;
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.headers = headers;
    this.recorder = recorder;
    this.shortCircuits = shortCircuits;
    this.upstream = upstream;
    this.relays = relays;
    this.policy = policy;
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  /** A new exchange for {@code req}, its reference built from the raw path (replaced once the path is parsed). */
  Exchange begin(HttpServerRequest req) {
    Exchange ex = new Exchange(req, nanoClock.getAsLong(), wallClock.getAsLong()).announce();
    req.response().closeHandler(v -> ex.clientClosed = true);
    ex.ref = EventFactory.ref(ex.requestId, req.method().name(), req.path(), emptyToNull(req.query()),
        source(req), req.getHeader(HttpHeaders.USER_AGENT), null);
    return ex;
  }

  /** Authenticates the caller of {@code ex} (the identity, or null when the credentials are not valid). */
  Future<CallerIdentity> identify(Exchange ex) {
    return authenticator.authenticate(ex.request.headers());
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
    Exchange ex = begin(ctx.request().proxiedRequest());
    ctx.set(EXCHANGE, ex);
    Future<ProxyResponse> result;
    try {
      result = identify(ex).transform(ar -> {
        if (ar.failed()) {
          String why = ar.cause() instanceof AuthenticationException ? ar.cause().getMessage() : "authentication failed";
          return refuse(ctx, ex, StatusErrors.unauthorized(why), EventFactory.deny("authentication", "unauthenticated: " + why));
        }
        return admit(ctx, ex, ar.result());
      });
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.recover(err -> internalError(ctx, ex, err));
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext ctx) {
    Exchange ex = ctx.get(EXCHANGE, Exchange.class);
    if (ex != null && ex.relayedByGateway) {
      return Future.succeededFuture();
    }
    try {
      return ResponseRecorder.handle(ctx, recorder, shortCircuits, limits, vertx, masking);
    } catch (RuntimeException e) {
      LOG.error("Gateway failure relaying the response of call {}", ex == null ? "?" : ex.requestId, e);
      return ResponseRecorder.failed(ctx, ex, recorder);
    }
  }

  private Future<ProxyResponse> admit(ProxyContext ctx, Exchange ex, CallerIdentity caller) {
    HttpServerRequest req = ex.request;
    ex.caller = caller;
    ex.sessionKey = SessionKeys.owner(caller.username()); // kept if the session header is refused
    RequestInfoParser.ParsedRequest parsed;
    try {
      ex.sessionKey = SessionKeys.resolve(req.getHeader(SessionKeys.HEADER), caller);
      parsed = parser.parse(req.method().name(), req.path(), req.query());
    } catch (InvalidRequestException e) {
      return refuse(ctx, ex, StatusErrors.badRequest(e.getMessage()), EventFactory.deny("request-validation", e.getMessage()));
    }
    ex.parsed = parsed;
    ex.ref = EventFactory.ref(ex.requestId, req.method().name(), parsed.canonicalPath(), parsed.query(),
        ex.ref.getSourceAddress(), ex.ref.getUserAgent(), parsed.info());
    ex.longRunning = parsed.longRunning();
    if (isSpdyUpgrade(req)) {
      return refuse(ctx, ex, StatusErrors.badRequest(SPDY_REFUSED), EventFactory.deny("protocol", "SPDY upgrade refused"));
    }
    if (ctx.isWebSocket()) {
      if (!relayableUpgrade(parsed.info())) {
        return refuse(ctx, ex, StatusErrors.badRequest(WEBSOCKET_REFUSED),
            EventFactory.deny("protocol", "WebSocket upgrade refused: not exec, attach or port-forward"));
      }
      String invalid = invalidHandshake(req);
      if (invalid != null) {
        return refuse(ctx, ex, StatusErrors.badRequest(invalid), EventFactory.deny("protocol", invalid));
      }
      return webSocket(ctx, ex);
    }
    long declared = contentLength(req);
    if (declared > limits.maxRequestBodyBytes()) {
      return tooLarge(ctx, ex);
    }
    boolean unknownLength = declared < 0
        && (req.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true) || req.version() == HttpVersion.HTTP_2);
    if (declared <= 0 && !unknownLength) {
      ctx.request().setBody(null);
      req.resume(); // nothing to read; let the (empty) request end
      return forward(ctx, ex, null);
    }
    String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
    PrefetchingBody body = new PrefetchingBody(req, new BodyCapture(limits.recordMaxBodyBytes(), contentType),
        limits.maxRequestBodyBytes());
    ex.requestBody = body;
    // A body of unknown length is read whole (up to the limit) first: its size and recording are then exact, and an
    // over-limit body is refused before anything reaches the upstream.
    long max = limits.maxRequestBodyBytes();
    long target = unknownLength ? (max == Long.MAX_VALUE ? max : max + 1) : limits.recordMaxBodyBytes();
    Future<Void> prefetched = body.prefetch(target);
    watchBodyProgress(body, prefetched);
    return prefetched.transform(ar -> {
      if (ar.failed()) {
        return bodyFailed(ctx, ex, ar.cause());
      }
      long length = body.ended() ? body.capture().total() : declared;
      ctx.request().setBody(length == 0 ? null : io.vertx.httpproxy.Body.body(body, length, contentType));
      return forward(ctx, ex, body.capture().toBody(Math.max(declared, body.capture().total())));
    });
  }

  private Future<ProxyResponse> bodyFailed(ProxyContext ctx, Exchange ex, Throwable cause) {
    if (cause instanceof PrefetchingBody.TooLargeException) {
      return tooLarge(ctx, ex);
    }
    ex.closeConnection = true;
    if (cause instanceof BodyStalledException) {
      return refuse(ctx, ex, new StatusErrors.StatusError(408, "Timeout", cause.getMessage()),
          EventFactory.deny("request-timeout", cause.getMessage()));
    }
    return refuse(ctx, ex, StatusErrors.badRequest("the request body could not be read"),
        EventFactory.deny("request-validation", "request body could not be read"));
  }

  /**
   * Fails the prefetch when the caller sends nothing for the body idle timeout, or has not sent the body read ahead
   * within the body timeout (a slow body: a byte now and then keeps it from ever being idle).
   */
  private void watchBodyProgress(PrefetchingBody body, Future<Void> prefetched) {
    long idle = limits.bodyIdleMillis();
    long total = limits.bodyTimeoutMillis();
    if (prefetched.isComplete()) {
      return;
    }
    long[] seen = {body.received()};
    long idleTimer = idle <= 0 ? -1 : vertx.setPeriodic(idle, id -> {
      if (body.received() == seen[0]) {
        body.abort(new BodyStalledException("no request body bytes received for " + idle + " ms"));
      }
      seen[0] = body.received();
    });
    long totalTimer = total <= 0 ? -1 : vertx.setTimer(total,
        id -> body.abort(new BodyStalledException("the request body was not received within " + total + " ms")));
    prefetched.onComplete(ar -> {
      vertx.cancelTimer(idleTimer);
      vertx.cancelTimer(totalTimer);
    });
  }

  private Future<ProxyResponse> forward(ProxyContext ctx, Exchange ex, Body body) {
    return policy.decide(ex, body).compose(verdict -> forward(ctx, ex, body, verdict));
  }

  private Future<ProxyResponse> forward(ProxyContext ctx, Exchange ex, Body body, PolicyGate.Verdict verdict) {
    ProxyRequest preq = ctx.request();
    ex.decided(verdict);
    if (!verdict.allowed()) {
      ex.closeConnection = ex.requestBody != null && !ex.requestBody.ended();
      recorder.received(ex, HeaderPolicy.forRecording(preq.headers()), body, verdict.decision());
      return Future.succeededFuture(shortCircuits.respond(ctx, ex, PolicyGate.forbidden(verdict)));
    }
    Future<Void> stored = recorder.received(ex, HeaderPolicy.forRecording(preq.headers()), body, verdict.decision());
    if (verdict.strict()) {
      // fail closed: the request (and its still paused body) goes upstream only once its record was acknowledged
      ex.strict = strict;
      return strict.acknowledged(stored).transform(ar -> ar.succeeded() ? send(ctx, ex) : strictRefused(ctx, ex, ar.cause()));
    }
    return send(ctx, ex);
  }

  private Future<ProxyResponse> send(ProxyContext ctx, Exchange ex) {
    ProxyRequest preq = ctx.request();
    headers.prepareUpstream(preq.headers(), false, ex);
    preq.setURI(upstreamUri(ex.parsed));
    return ctx.sendRequest().recover(err -> upstreamFailed(ctx, ex, err));
  }

  /** A strict call whose RequestReceived was not acknowledged in time: 503, nothing forwarded, counted. */
  private Future<ProxyResponse> strictRefused(ProxyContext ctx, Exchange ex, Throwable cause) {
    LOG.warn("Strict call {} of session {} not forwarded: its record was not acknowledged ({})", ex.requestId,
        ex.sessionKey, cause.toString());
    ex.closeConnection = ex.requestBody != null && !ex.requestBody.ended();
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, strict.refuse()));
  }

  /** Terminates the caller's WebSocket upgrade here and relays it message by message (exec, attach, port-forward). */
  private Future<ProxyResponse> webSocket(ProxyContext ctx, Exchange ex) {
    return policy.decide(ex, null).compose(verdict -> webSocket(ctx, ex, verdict));
  }

  private Future<ProxyResponse> webSocket(ProxyContext ctx, Exchange ex, PolicyGate.Verdict verdict) {
    ProxyRequest preq = ctx.request();
    ex.decided(verdict);
    if (!verdict.allowed()) {
      return refuse(ctx, ex, PolicyGate.forbidden(verdict), verdict.decision());
    }
    Future<Void> stored = recorder.received(ex, HeaderPolicy.forRecording(preq.headers()), null, verdict.decision());
    if (verdict.strict()) {
      ex.strict = strict;
      return strict.acknowledged(stored).transform(ar -> ar.succeeded() ? relay(ctx, ex) : strictRefused(ctx, ex, ar.cause()));
    }
    return relay(ctx, ex);
  }

  private Future<ProxyResponse> relay(ProxyContext ctx, Exchange ex) {
    ProxyRequest preq = ctx.request();
    headers.prepareUpstream(preq.headers(), true, ex);
    return relays.start(ex, upstreamUri(ex.parsed), preq.headers()).transform(ar -> {
      if (ar.failed()) {
        return upstreamFailed(ctx, ex, ar.cause());
      }
      ex.relayedByGateway = true;
      return Future.succeededFuture(preq.response());
    });
  }

  private String upstreamUri(RequestInfoParser.ParsedRequest parsed) {
    return upstream.basePath() + parsed.canonicalPath() + (parsed.query() == null ? "" : "?" + parsed.query());
  }

  private Future<ProxyResponse> upstreamFailed(ProxyContext ctx, Exchange ex, Throwable err) {
    if (err instanceof WebSocketRelays.CallerGoneException || err instanceof UpstreamOrigin.CallerGoneException) {
      // nothing was (or will be) sent upstream and nobody is listening: the call ends here
      recorder.completed(ex, 499, java.util.Map.of(), null, 0, dev.vigil.schema.ResponseOutcome.CLIENT_DISCONNECTED);
      ex.closeConnection = true;
      return Future.succeededFuture(shortCircuits.respond(ctx, ex,
          new StatusErrors.StatusError(499, "ClientClosedRequest", err.getMessage())));
    }
    if (ex.requestBody != null && ex.requestBody.tooLarge()) {
      ex.closeConnection = true;
      return Future.succeededFuture(shortCircuits.respond(ctx, ex, StatusErrors.tooLarge(limits.maxRequestBodyBytes())));
    }
    UpstreamFailures.Failure failure = UpstreamFailures.classify(err);
    StatusErrors.StatusError status = failure.status() == 504
        ? StatusErrors.upstreamTimeout(upstream.hostPort())
        : StatusErrors.upstreamUnavailable(upstream.hostPort(), failure.what());
    recorder.upstreamError(ex, failure, status.code());
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, status));
  }

  private Future<ProxyResponse> tooLarge(ProxyContext ctx, Exchange ex) {
    ex.closeConnection = true;
    return refuse(ctx, ex, StatusErrors.tooLarge(limits.maxRequestBodyBytes()),
        EventFactory.deny("request-size", "request body exceeds " + limits.maxRequestBodyBytes() + " bytes"));
  }

  /** Records a DENY for the call and answers it with {@code status} without forwarding anything. */
  private Future<ProxyResponse> refuse(ProxyContext ctx, Exchange ex, StatusErrors.StatusError status, PolicyDecision decision) {
    recorder.received(ex, HeaderPolicy.forRecording(ctx.request().headers()), null, decision);
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, status));
  }

  /** A failure of the gateway itself: logged (no headers or bodies), recorded, answered with a 500 Status if possible. */
  private Future<ProxyResponse> internalError(ProxyContext ctx, Exchange ex, Throwable err) {
    LOG.error("Gateway failure handling call {}", ex.requestId, err);
    if (!ex.receivedRecorded) {
      try {
        recorder.received(ex, HeaderPolicy.forRecording(ex.request.headers()), null,
            EventFactory.deny("internal-error", "gateway error: " + err.getClass().getSimpleName()));
      } catch (RuntimeException e) {
        LOG.error("Could not record the failed call {}", ex.requestId, e);
      }
    }
    if (ex.relayedByGateway || ex.request.response().headWritten()) {
      ex.relayedByGateway = true;
      return Future.succeededFuture(ctx.request().response());
    }
    ex.closeConnection = ex.requestBody != null && !ex.requestBody.ended();
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, new StatusErrors.StatusError(500, "InternalError",
        "the Vigil gateway failed to handle the request (request id " + ex.requestId + ")")));
  }

  /** Only exec, attach and port-forward (connect subresources of pods) are terminated as WebSockets. */
  static boolean relayableUpgrade(dev.vigil.schema.KubernetesRequestInfo info) {
    return info.getResourceRequest() && "pods".equals(info.getResource())
        && info.getSubresource() != null && WEBSOCKET_SUBRESOURCES.contains(info.getSubresource());
  }

  /**
   * Why the caller's WebSocket handshake could not be accepted (RFC 6455 4.2.1: a {@code Sec-WebSocket-Key}, version
   * 13), or null; checked before anything is sent upstream, so a command never starts for a caller that cannot be
   * answered.
   */
  static String invalidHandshake(HttpServerRequest req) {
    String key = req.getHeader("Sec-WebSocket-Key");
    if (key == null || key.isBlank() || req.headers().getAll("Sec-WebSocket-Key").size() != 1) {
      return "invalid WebSocket handshake: exactly one Sec-WebSocket-Key header is required";
    }
    String version = req.getHeader("Sec-WebSocket-Version");
    if (version == null || !version.strip().equals("13") || req.headers().getAll("Sec-WebSocket-Version").size() != 1) {
      return "invalid WebSocket handshake: Sec-WebSocket-Version must be 13";
    }
    return null;
  }

  static boolean isSpdyUpgrade(HttpServerRequest req) {
    for (String v : req.headers().getAll(HttpHeaders.UPGRADE)) {
      if (v.toLowerCase(Locale.ROOT).contains("spdy/")) {
        return true;
      }
    }
    return false;
  }

  private static long contentLength(HttpServerRequest req) {
    String v = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String source(HttpServerRequest req) {
    return req.remoteAddress() == null ? null : req.remoteAddress().host() + ":" + req.remoteAddress().port();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The caller stopped sending its request body. */
  static final class BodyStalledException extends Exception {
    private static final long serialVersionUID = 1L;

    BodyStalledException(String message) {
      super(message, null, false, false);
    }
  }
}

package dev.vigil.proxy.impl;

import java.util.function.LongSupplier;

import dev.vigil.schema.Body;
import dev.vigil.schema.PolicyDecision;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The request side of the gateway, as a vertx-http-proxy interceptor: authenticate, resolve the session, canonicalise
 * and parse the path, bound the body, record RequestReceived, rewrite headers and URI, forward. Anything refused is
 * answered here with a Kubernetes Status and recorded as a DENY; an unreachable upstream becomes a 502/504 Status
 * and an UpstreamError event. The response side is {@link ResponseRecorder}.
 */
final class GatewayInterceptor implements ProxyInterceptor {

  static final String EXCHANGE = "vigil.exchange";

  private final TokenAuthenticator authenticator;
  private final RequestInfoParser parser = new RequestInfoParser();
  private final HeaderPolicy headers;
  private final CallRecorder recorder;
  private final ShortCircuits shortCircuits;
  private final UpstreamTarget upstream;
  private final long maxRequestBodyBytes;
  private final int recordMaxBodyBytes;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;

  GatewayInterceptor(TokenAuthenticator authenticator, HeaderPolicy headers, CallRecorder recorder,
      ShortCircuits shortCircuits, UpstreamTarget upstream, long maxRequestBodyBytes, int recordMaxBodyBytes,
      LongSupplier nanoClock, LongSupplier wallClock) {
    this.authenticator = authenticator;
    this.headers = headers;
    this.recorder = recorder;
    this.shortCircuits = shortCircuits;
    this.upstream = upstream;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    this.recordMaxBodyBytes = recordMaxBodyBytes;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
    HttpServerRequest req = ctx.request().proxiedRequest();
    Exchange ex = new Exchange(req, nanoClock.getAsLong(), wallClock.getAsLong());
    ctx.set(EXCHANGE, ex);
    req.response().closeHandler(v -> ex.clientClosed = true);
    ex.ref = EventFactory.ref(ex.requestId, req.method().name(), req.path(), emptyToNull(req.query()),
        source(req), req.getHeader(HttpHeaders.USER_AGENT), null);
    return authenticator.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)).transform(ar -> {
      if (ar.failed()) {
        String why = ar.cause() instanceof AuthenticationException ? ar.cause().getMessage() : "authentication failed";
        return refuse(ctx, ex, StatusErrors.unauthorized(why), EventFactory.deny("authentication", "unauthenticated: " + why));
      }
      return admit(ctx, ex, ar.result());
    });
  }

  @Override
  public Future<Void> handleProxyResponse(ProxyContext ctx) {
    return ResponseRecorder.handle(ctx, recorder, shortCircuits, recordMaxBodyBytes);
  }

  private Future<ProxyResponse> admit(ProxyContext ctx, Exchange ex, CallerIdentity caller) {
    HttpServerRequest req = ex.request;
    ex.caller = caller;
    ex.sessionKey = caller.subject();
    RequestInfoParser.ParsedRequest parsed;
    try {
      ex.sessionKey = SessionKeys.resolve(req.getHeader(SessionKeys.HEADER), caller.subject());
      parsed = parser.parse(req.method().name(), req.path(), req.query());
    } catch (InvalidRequestException e) {
      return refuse(ctx, ex, StatusErrors.badRequest(e.getMessage()), EventFactory.deny("request-validation", e.getMessage()));
    }
    ex.ref = EventFactory.ref(ex.requestId, req.method().name(), parsed.canonicalPath(), parsed.query(),
        ex.ref.getSourceAddress(), ex.ref.getUserAgent(), parsed.info());
    ex.longRunning = "watch".equals(parsed.info().getVerb())
        || "true".equals(RequestInfoParser.param(parsed.query(), "follow"));
    long declared = contentLength(req);
    if (declared > maxRequestBodyBytes) {
      return tooLarge(ctx, ex);
    }
    boolean chunked = req.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
    if (ctx.isWebSocket() || (declared <= 0 && !chunked)) {
      if (!ctx.isWebSocket()) {
        ctx.request().setBody(null);
        req.resume(); // nothing to read; let the (empty) request end
      }
      return forward(ctx, ex, parsed, null);
    }
    String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
    PrefetchingBody body = new PrefetchingBody(req, new BodyCapture(recordMaxBodyBytes, contentType), maxRequestBodyBytes);
    ex.requestBody = body;
    return body.prefetch(recordMaxBodyBytes).transform(ar -> {
      if (ar.failed()) {
        return ar.cause() instanceof PrefetchingBody.TooLargeException
            ? tooLarge(ctx, ex)
            : refuse(ctx, ex, StatusErrors.badRequest("the request body could not be read"),
                EventFactory.deny("request-validation", "request body could not be read"));
      }
      long length = body.ended() ? body.capture().total() : declared;
      ctx.request().setBody(io.vertx.httpproxy.Body.body(body, length, contentType));
      return forward(ctx, ex, parsed, body.capture().toBody(Math.max(declared, body.capture().total())));
    });
  }

  private Future<ProxyResponse> forward(ProxyContext ctx, Exchange ex, RequestInfoParser.ParsedRequest parsed, Body body) {
    ProxyRequest preq = ctx.request();
    recorder.received(ex, HeaderPolicy.forRecording(preq.headers()), body, EventFactory.allow());
    headers.prepareUpstream(preq.headers(), ctx.isWebSocket(), ex.caller);
    preq.setURI(upstream.basePath() + parsed.canonicalPath() + (parsed.query() == null ? "" : "?" + parsed.query()));
    return ctx.sendRequest().recover(err -> upstreamFailed(ctx, ex, err));
  }

  private Future<ProxyResponse> upstreamFailed(ProxyContext ctx, Exchange ex, Throwable err) {
    if (ex.requestBody != null && ex.requestBody.tooLarge()) {
      return Future.succeededFuture(shortCircuits.respond(ctx, ex, StatusErrors.tooLarge(maxRequestBodyBytes)));
    }
    UpstreamFailures.Failure failure = UpstreamFailures.classify(err);
    StatusErrors.StatusError status = failure.status() == 504
        ? StatusErrors.upstreamTimeout(upstream.hostPort())
        : StatusErrors.upstreamUnavailable(upstream.hostPort(), failure.what());
    recorder.upstreamError(ex, failure, status.code());
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, status));
  }

  private Future<ProxyResponse> tooLarge(ProxyContext ctx, Exchange ex) {
    ex.request.response().putHeader(HttpHeaders.CONNECTION, "close");
    return refuse(ctx, ex, StatusErrors.tooLarge(maxRequestBodyBytes),
        EventFactory.deny("request-size", "request body exceeds " + maxRequestBodyBytes + " bytes"));
  }

  /** Records a DENY for the call and answers it with {@code status} without forwarding anything. */
  private Future<ProxyResponse> refuse(ProxyContext ctx, Exchange ex, StatusErrors.StatusError status, PolicyDecision decision) {
    recorder.received(ex, HeaderPolicy.forRecording(ctx.request().headers()), null, decision);
    return Future.succeededFuture(shortCircuits.respond(ctx, ex, status));
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
}

package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.TreeMap;

import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamKind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The response side of the gateway: relays the response as it arrives (watches and followed logs flow chunk by
 * chunk, nothing is buffered) and records it. A plain response goes through a capped {@link BodyCapture}; a
 * successful watch or followed log is cut into StreamFrames instead ({@link WatchFramer}, {@link LogFramer}) and its
 * ResponseCompleted carries no body but the stream's outcome (UPSTREAM_CLOSED, CLIENT_DISCONNECTED, or
 * UPSTREAM_RESET with the reason in a {@code vigil-upstream-error} header) and frame counters. A plain response's
 * ResponseCompleted is recorded once the caller has it all (COMPLETED) or went away (CLIENT_DISCONNECTED); a plain
 * relay broken by the upstream becomes an UpstreamError (RESET or TIMEOUT) carrying the status already sent. Under
 * {@code maskResponse} a plain response is masked whole first ({@link MaskedResponse}) and a watch or followed log is
 * masked piece by piece as it flows ({@link MaskedStream}).
 */
final class ResponseRecorder {

  /** Recorded header of a stream broken by the upstream: why (the schema has no field for it). */
  static final String UPSTREAM_ERROR = "vigil-upstream-error";

  private ResponseRecorder() {}

  static Future<Void> handle(ProxyContext ctx, CallRecorder recorder, ShortCircuits shortCircuits, GatewayLimits limits,
      Vertx vertx, ResponseMasking masking) {
    Exchange ex = ctx.get(GatewayInterceptor.EXCHANGE, Exchange.class);
    if (ex == null) {
      return ctx.sendResponse();
    }
    if (ctx.isWebSocket()) { // relayed upgrades never get here: this is the gateway's own refusal of one
      return shortCircuitUpgrade(ex, recorder, shortCircuits, limits.recordMaxBodyBytes());
    }
    ProxyResponse resp = ctx.response();
    int status = resp.getStatusCode();
    Body body = resp.getBody();
    String contentType = body != null && body.mediaType() != null ? body.mediaType() : resp.headers().get(HttpHeaders.CONTENT_TYPE);
    Map<String, String> headers = recordedHeaders(resp, contentType);
    HeaderPolicy.stripResponseHopByHop(resp.headers());
    watchCaller(ex, resp);
    StreamKind kind = body == null || ex.shortCircuit != null ? null : streamKind(ex, status);
    boolean mask = masking != null && ex.maskResponse && ex.shortCircuit == null && body != null;
    if (kind != null) {
      if (mask && kind == StreamKind.WATCH && WatchFramer.isProtobuf(contentType)) {
        return MaskedResponse.refuse(ctx, ex, recorder, limits.recordMaxBodyBytes(), true,
            "a protobuf watch stream cannot be masked (the gateway asks the API server for JSON)");
      }
      FrameRecorder frames = new FrameRecorder(ex, recorder, kind, limits.streams());
      ex.frames = frames;
      Runnable abortUpstream = () -> resetUpstream(resp);
      MaskedStream masked = null;
      ReadStream<Buffer> stream;
      Runnable endFramer;
      if (kind == StreamKind.WATCH && mask) {
        masked = MaskedStream.watch(body.stream(), abortUpstream, frames, contentType, masking, ex);
        stream = masked;
        endFramer = () -> { }; // the masked stream ends (or stops) its framer itself
      } else {
        Handler<Buffer> framer;
        if (kind == StreamKind.WATCH) {
          WatchFramer w = new WatchFramer(frames, contentType);
          framer = w;
          endFramer = w::end;
        } else {
          LogFramer l = new LogFramer(frames, contentType, vertx);
          framer = l;
          endFramer = l::end;
        }
        stream = new CapturingReadStream(body.stream(), framer);
        if (mask) {
          masked = MaskedStream.logs(stream, abortUpstream, contentType, masking, vertx, limits.streams().logDelayMillis());
          stream = masked;
        }
      }
      MaskedStream maskedStream = masked;
      resp.setBody(Body.body(stream, body.length(), body.mediaType()));
      if (ex.strict != null) {
        ex.strictAbort = () -> endStrictStream(ex, resp);
      }
      Future<Void> sent = ctx.sendResponse();
      HttpServerResponse out = ex.request.response();
      if (!out.headWritten() && !out.ended() && !out.closed()) {
        out.writeHead(); // as kube-apiserver does: a watch with no event yet must not hold the caller's client waiting
      }
      return sent.andThen(ar -> {
        endFramer.run();
        ResponseOutcome outcome = ar.succeeded() ? ResponseOutcome.UPSTREAM_CLOSED
            : byCaller(ex) ? ResponseOutcome.CLIENT_DISCONNECTED : ResponseOutcome.UPSTREAM_RESET;
        Map<String, String> recorded = headers;
        if (ex.strictEnded) {
          recorded = new TreeMap<>(headers);
          recorded.put(WebSocketRelay.STRICT_ENDED, StrictRecording.STREAM_ENDED_MESSAGE);
        }
        if (maskedStream != null && maskedStream.endedReason() != null) {
          recorded = new TreeMap<>(recorded);
          recorded.put(MaskedStream.ENDED, maskedStream.endedReason());
        }
        if (outcome == ResponseOutcome.UPSTREAM_RESET) {
          recorded = new TreeMap<>(recorded);
          UpstreamFailures.Failure failure = UpstreamFailures.classify(ar.cause());
          recorded.put(UPSTREAM_ERROR, failure.type() + ": " + failure.detail());
        }
        recorder.completed(ex, status, recorded, null, ex.request.response().bytesWritten(), outcome);
      });
    }
    if (mask && MaskedResponse.applies(ex, resp)) {
      return MaskedResponse.relay(ctx, ex, recorder, masking, limits.recordMaxBodyBytes(), vertx);
    }
    BodyCapture capture = new BodyCapture(limits.recordMaxBodyBytes(), contentType);
    if (body != null) {
      resp.setBody(Body.body(new CapturingReadStream(body.stream(), capture), body.length(), body.mediaType()));
    }
    return ctx.sendResponse().andThen(ar -> {
      if (ar.succeeded() || ex.shortCircuit != null || byCaller(ex)) {
        recorder.completed(ex, status, headers, capture.toBody(), ex.request.response().bytesWritten(),
            ar.failed() && ex.shortCircuit == null ? ResponseOutcome.CLIENT_DISCONNECTED : ResponseOutcome.COMPLETED);
      } else {
        recorder.upstreamError(ex, UpstreamFailures.classify(ar.cause()), status);
      }
      closeIfAsked(ex);
    });
  }

  /**
   * Strict recording: a frame of this watch or log stream could not be recorded in time. The stream ends: the upstream
   * request and the caller's response are reset (on HTTP/1.1 the caller's connection is closed).
   */
  private static void endStrictStream(Exchange ex, ProxyResponse resp) {
    HttpClientResponse upstream = resp.proxiedResponse();
    if (upstream != null) {
      upstream.request().reset(0L, new IllegalStateException(StrictRecording.STREAM_ENDED_MESSAGE));
    }
    HttpServerResponse out = ex.request.response();
    if (!out.ended() && !out.closed()) {
      out.reset();
    }
  }

  /** Resets the upstream request of a stream the gateway ends (the caller's response is ended by the relay). */
  private static void resetUpstream(ProxyResponse resp) {
    HttpClientResponse upstream = resp.proxiedResponse();
    if (upstream != null) {
      upstream.request().reset();
    }
  }

  /**
   * Marks the exchange when the caller's side fails during the relay (an HTTP/2 stream reset fails the relay before
   * the response reports itself closed), then does what vertx-http-proxy does then: resets the upstream request.
   */
  private static void watchCaller(Exchange ex, ProxyResponse resp) {
    HttpClientResponse upstream = resp.proxiedResponse();
    if (upstream == null) {
      return;
    }
    HttpClientRequest upstreamRequest = upstream.request();
    ex.request.response().exceptionHandler(err -> {
      ex.callerFailed = true;
      upstreamRequest.reset(0L, err);
    });
  }

  private static boolean byCaller(Exchange ex) {
    return ex.callerFailed || callerGone(ex);
  }

  /** WATCH for a successful watch, LOGS for a successful followed pod log; null for anything else. */
  static StreamKind streamKind(Exchange ex, int status) {
    if (ex.parsed == null || status < 200 || status > 299) {
      return null;
    }
    var info = ex.parsed.info();
    if ("watch".equals(info.getVerb())) {
      return StreamKind.WATCH;
    }
    if ("log".equals(info.getSubresource()) && "pods".equals(info.getResource()) && ex.parsed.follow()) {
      return StreamKind.LOGS;
    }
    return null;
  }

  /** The gateway refused an upgrade request itself (401, 400...): answered directly, not through the proxy. */
  private static Future<Void> shortCircuitUpgrade(Exchange ex, CallRecorder recorder, ShortCircuits shortCircuits,
      int recordMaxBodyBytes) {
    BodyCapture capture = new BodyCapture(recordMaxBodyBytes, StatusErrors.CONTENT_TYPE);
    capture.append(ex.shortCircuit.toBuffer());
    return shortCircuits.writeDirect(ex).andThen(ar -> recorder.completed(ex, ex.shortCircuit.code(),
        Map.of("content-type", StatusErrors.CONTENT_TYPE), capture.toBody(), capture.total()));
  }

  /** Answers a 500 Status after a failure of the gateway on the response side (if nothing was sent yet). */
  static Future<Void> failed(ProxyContext ctx, Exchange ex, CallRecorder recorder) {
    HttpServerResponse response = ctx.request().proxiedRequest().response();
    if (ex == null || response.headWritten() || response.ended()) {
      if (ex != null && callerGone(ex)) {
        recorder.completed(ex, response.getStatusCode(), Map.of(), null, response.bytesWritten());
      }
      response.reset();
      return Future.succeededFuture();
    }
    StatusErrors.StatusError status = new StatusErrors.StatusError(500, "InternalError",
        "the Vigil gateway failed to relay the response (request id " + ex.requestId + ")");
    if (ctx.response() != null) {
      ctx.response().release();
    }
    return response.setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, StatusErrors.CONTENT_TYPE)
        .end(status.toBuffer())
        .andThen(ar -> recorder.completed(ex, 500, Map.of("content-type", StatusErrors.CONTENT_TYPE), null,
            response.bytesWritten()));
  }

  /** After an answer to a request whose body was not read to the end, the connection cannot be reused. */
  static void closeIfAsked(Exchange ex) {
    if (!ex.closeConnection) {
      return;
    }
    if (ex.request.version() == HttpVersion.HTTP_2) {
      ex.request.response().reset(0x8); // CANCEL: stop sending the body
    } else {
      ex.request.connection().close();
    }
  }

  private static Map<String, String> recordedHeaders(ProxyResponse resp, String contentType) {
    Map<String, String> headers = new TreeMap<>(HeaderPolicy.forRecording(resp.headers()));
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return headers;
  }

  private static boolean callerGone(Exchange ex) {
    return ex.clientClosed || ex.request.response().closed();
  }
}

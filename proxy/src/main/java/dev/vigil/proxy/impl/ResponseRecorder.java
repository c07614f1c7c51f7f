package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The response side of the gateway: relays the response as it arrives (watches and followed logs flow chunk by
 * chunk, nothing is buffered) through a capped {@link BodyCapture}, and records ResponseCompleted once the caller
 * has it all — or once the caller went away. A relay broken by the upstream becomes an UpstreamError (RESET or
 * TIMEOUT) carrying the status the caller had already received.
 */
final class ResponseRecorder {

  private ResponseRecorder() {}

  static Future<Void> handle(ProxyContext ctx, CallRecorder recorder, ShortCircuits shortCircuits, int recordMaxBodyBytes) {
    Exchange ex = ctx.get(GatewayInterceptor.EXCHANGE, Exchange.class);
    if (ex == null) {
      return ctx.sendResponse();
    }
    ProxyResponse resp = ctx.response();
    if (ctx.isWebSocket()) {
      return webSocket(ctx, ex, recorder, shortCircuits, recordMaxBodyBytes);
    }
    int status = resp.getStatusCode();
    Body body = resp.getBody();
    String contentType = body != null && body.mediaType() != null ? body.mediaType() : resp.headers().get(HttpHeaders.CONTENT_TYPE);
    BodyCapture capture = new BodyCapture(recordMaxBodyBytes, contentType);
    if (body != null) {
      resp.setBody(Body.body(new CapturingReadStream(body.stream(), capture), body.length(), body.mediaType()));
    }
    Map<String, String> headers = recordedHeaders(resp, contentType);
    return ctx.sendResponse().andThen(ar -> {
      if (ar.succeeded() || ex.shortCircuit != null || callerGone(ex)) {
        recorder.completed(ex, status, headers, capture.toBody(), ex.request.response().bytesWritten());
      } else {
        recorder.upstreamError(ex, UpstreamFailures.classify(ar.cause()), status);
      }
    });
  }

  private static Future<Void> webSocket(ProxyContext ctx, Exchange ex, CallRecorder recorder, ShortCircuits shortCircuits,
      int recordMaxBodyBytes) {
    if (ex.shortCircuit != null) {
      BodyCapture capture = new BodyCapture(recordMaxBodyBytes, StatusErrors.CONTENT_TYPE);
      capture.append(ex.shortCircuit.toBuffer());
      return shortCircuits.writeDirect(ex).andThen(ar -> recorder.completed(ex, ex.shortCircuit.code(),
          Map.of("content-type", StatusErrors.CONTENT_TYPE), capture.toBody(), capture.total()));
    }
    ProxyResponse resp = ctx.response();
    int status = resp.getStatusCode();
    Map<String, String> headers = HeaderPolicy.forRecording(resp.headers());
    // Frames of upgraded connections (exec/attach) are not recorded yet: the call is complete once upgraded.
    return ctx.sendResponse().andThen(ar -> recorder.completed(ex, status, headers, null, 0));
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

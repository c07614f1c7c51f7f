package dev.vigil.proxy.impl;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyResponse;

/**
 * A plain (not streamed) response relayed to a caller under {@code maskResponse}: the upstream body is read whole, up
 * to {@link ResponseMasking#maxBytes()}, masked ({@link ResponseMasking#body}) and sent with its own Content-Length;
 * validators of the original bytes (ETag, digests) are dropped when the bytes changed. The masked body (capped) and
 * the findings of the whole body are what the ResponseCompleted records — masked once, not twice. Fail closed: a body
 * over the limit, compressed ({@code Content-Encoding} other than identity; the gateway asks the upstream for
 * identity), undecodable protobuf or an unparseable Secret is never relayed — the caller gets a 502 Kubernetes Status
 * saying why and how to narrow the request, and the event records the header {@value #REFUSED}. Masking a body over
 * {@value #INLINE_BYTES} bytes runs on a worker thread, not on the event loop.
 */
final class MaskedResponse {

  /** Recorded header of a response the caller did not get because it could not be masked: why. */
  static final String REFUSED = "vigil-mask-refused";
  static final int INLINE_BYTES = 64 * 1024;
  /** Validators and digests of the original bytes: wrong once the body was masked. */
  private static final List<String> STALE = List.of("etag", "content-md5", "digest", "content-digest", "repr-digest");
  private static final Logger LOG = LoggerFactory.getLogger(MaskedResponse.class);

  private MaskedResponse() {}

  /** True when the plain response of {@code ex} goes to its caller masked. */
  static boolean applies(Exchange ex, ProxyResponse resp) {
    int status = resp.getStatusCode();
    return ex.maskResponse && ex.shortCircuit == null && resp.getBody() != null && resp.proxiedResponse() != null
        && !HttpMethod.HEAD.equals(ex.request.method()) && status != 204 && status != 304;
  }

  static Future<Void> relay(ProxyContext ctx, Exchange ex, CallRecorder recorder, ResponseMasking masking,
      int recordMaxBodyBytes, Vertx vertx) {
    ProxyResponse resp = ctx.response();
    Body body = resp.getBody();
    String contentType = body.mediaType() != null ? body.mediaType() : resp.headers().get(HttpHeaders.CONTENT_TYPE);
    String encoding = resp.headers().get(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      return refuse(ctx, ex, recorder, recordMaxBodyBytes, true,
          "the API server answered with Content-Encoding " + encoding.strip() + ", which Vigil cannot mask");
    }
    if (body.length() > masking.maxBytes()) {
      return refuse(ctx, ex, recorder, recordMaxBodyBytes, true, tooLarge(masking));
    }
    return read(body.stream(), masking.maxBytes()).transform(ar -> {
      if (ar.failed()) {
        return ar.cause() instanceof TooLargeException
            ? refuse(ctx, ex, recorder, recordMaxBodyBytes, true, tooLarge(masking))
            : broken(ctx, ex, recorder, ar.cause());
      }
      boolean secrets = ex.parsed != null && "secrets".equals(ex.parsed.info().getResource());
      Buffer whole = ar.result();
      Future<ResponseMasking.Result> masked = whole.length() <= INLINE_BYTES
          ? inline(() -> masking.body(contentType, whole, secrets))
          : vertx.executeBlocking(() -> masking.body(contentType, whole, secrets), false);
      return masked.transform(m -> {
        if (m.failed()) {
          LOG.error("Masking the response of call {} failed", ex.requestId, m.cause());
          return refuse(ctx, ex, recorder, recordMaxBodyBytes, false, "the gateway failed to mask it");
        }
        if (m.result().refused()) {
          return refuse(ctx, ex, recorder, recordMaxBodyBytes, false, m.result().refusal());
        }
        masking.read(ex, m.result().findings());
        return send(ctx, ex, recorder, recordMaxBodyBytes, m.result());
      });
    });
  }

  private static Future<ResponseMasking.Result> inline(java.util.concurrent.Callable<ResponseMasking.Result> masking) {
    try {
      return Future.succeededFuture(masking.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private static String tooLarge(ResponseMasking masking) {
    return "it is larger than " + masking.maxBytes() + " bytes (vigil.proxy.max-masked-response-bytes); narrow the "
        + "request: a single namespace, a label or field selector, smaller pages (kubectl --chunk-size, the API's "
        + "limit=) or one object by name";
  }

  private static Future<Void> send(ProxyContext ctx, Exchange ex, CallRecorder recorder, int recordMaxBodyBytes,
      ResponseMasking.Result m) {
    ProxyResponse resp = ctx.response();
    int status = resp.getStatusCode();
    Buffer out = m.bytes();
    if (m.changed()) {
      STALE.forEach(resp.headers()::remove);
    }
    resp.headers().remove(HttpHeaders.CONTENT_LENGTH);
    resp.setBody(Body.body(Body.body(out, (MediaType) null).stream(), out.length(), m.contentType()));
    Map<String, String> headers = new TreeMap<>(HeaderPolicy.forRecording(resp.headers()));
    if (m.contentType() != null) {
      headers.put("content-type", m.contentType());
    }
    headers.put("content-length", Integer.toString(out.length()));
    BodyCapture capture = new BodyCapture(recordMaxBodyBytes, m.contentType());
    capture.append(out);
    dev.vigil.schema.Body recorded = capture.toBody();
    // a body recorded as text is recorded as the caller got it, with the findings of all of it; an undecodable one
    // (base64) is left to the recording's own rules (e.g. withheld on secrets)
    if (recorded != null && recorded.getEncoding() == dev.vigil.schema.BodyEncoding.TEXT) {
      recorded = BodyMasking.preMasked(ex, recorded, m.findings());
    }
    dev.vigil.schema.Body body = recorded;
    return ctx.sendResponse().andThen(ar -> {
      recorder.completed(ex, status, headers, body, ex.request.response().bytesWritten(),
          ar.failed() ? ResponseOutcome.CLIENT_DISCONNECTED : ResponseOutcome.COMPLETED);
      ResponseRecorder.closeIfAsked(ex);
    });
  }

  /**
   * Fail closed: the caller gets a 502 Status instead of the response (the rest of which, if any, is not read: the
   * upstream request is reset), and the ResponseCompleted records why.
   */
  static Future<Void> refuse(ProxyContext ctx, Exchange ex, CallRecorder recorder, int recordMaxBodyBytes,
      boolean unread, String why) {
    ProxyResponse resp = ctx.response();
    int upstreamStatus = resp.getStatusCode();
    LOG.warn("Response of call {} (upstream status {}) not relayed: it could not be masked for the caller: {}",
        ex.requestId, upstreamStatus, why);
    HttpClientResponse upstream = resp.proxiedResponse();
    if (unread && upstream != null) {
      // the rest is not read: the exception our own reset raises on the response is expected
      upstream.exceptionHandler(err -> LOG.debug("Unread response of call {} reset: {}", ex.requestId, err.toString()));
      upstream.request().reset();
    }
    StatusErrors.StatusError status = new StatusErrors.StatusError(502, "InternalError",
        "Vigil did not return the response because it could not mask it for you (maskResponse): " + why);
    Buffer out = status.toBuffer();
    resp.headers().clear();
    resp.setStatusCode(502).setStatusMessage("Bad Gateway");
    resp.setBody(Body.body(Body.body(out, (MediaType) null).stream(), out.length(), StatusErrors.CONTENT_TYPE));
    Map<String, String> headers = Map.of("content-type", StatusErrors.CONTENT_TYPE,
        REFUSED, why + " (upstream status " + upstreamStatus + ")");
    BodyCapture capture = new BodyCapture(recordMaxBodyBytes, StatusErrors.CONTENT_TYPE);
    capture.append(out);
    return ctx.sendResponse().andThen(ar -> {
      recorder.completed(ex, 502, headers, capture.toBody(), ex.request.response().bytesWritten(),
          ar.failed() ? ResponseOutcome.CLIENT_DISCONNECTED : ResponseOutcome.COMPLETED);
      ResponseRecorder.closeIfAsked(ex);
    });
  }

  /**
   * Reading the body failed: the caller went away (its side reset the upstream request), or the upstream broke off —
   * then nothing was sent to the caller yet, so it gets a Status.
   */
  private static Future<Void> broken(ProxyContext ctx, Exchange ex, CallRecorder recorder, Throwable cause) {
    if (ex.callerFailed || ex.clientClosed || ex.request.response().closed()) {
      recorder.completed(ex, ctx.response().getStatusCode(), Map.of(), null, 0, ResponseOutcome.CLIENT_DISCONNECTED);
      ex.request.response().reset();
      return Future.succeededFuture();
    }
    UpstreamFailures.Failure failure = UpstreamFailures.classify(cause);
    recorder.upstreamError(ex, failure, failure.status());
    StatusErrors.StatusError status = new StatusErrors.StatusError(failure.status(),
        failure.status() == 504 ? "Timeout" : "ServiceUnavailable",
        "the Kubernetes API server's response broke off before Vigil could mask it: " + failure.what());
    Buffer out = status.toBuffer();
    ProxyResponse resp = ctx.response();
    resp.headers().clear();
    resp.setStatusCode(status.code()).setStatusMessage(status.code() == 504 ? "Gateway Timeout" : "Bad Gateway");
    resp.setBody(Body.body(Body.body(out, (MediaType) null).stream(), out.length(), StatusErrors.CONTENT_TYPE));
    return ctx.sendResponse().andThen(ar -> ResponseRecorder.closeIfAsked(ex));
  }

  /** Reads a body whole, failing with {@link TooLargeException} (reading stopped) past {@code max} bytes. */
  static Future<Buffer> read(ReadStream<Buffer> stream, int max) {
    Promise<Buffer> done = Promise.promise();
    Buffer whole = Buffer.buffer();
    stream.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if ((long) whole.length() + chunk.length() > max) {
        stream.pause();
        done.tryFail(new TooLargeException());
        return;
      }
      whole.appendBuffer(chunk);
    });
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> done.tryComplete(whole));
    stream.resume();
    return done.future();
  }

  /** The body is larger than the masking limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super("the response is too large to be masked", null, false, false);
    }
  }
}

package dev.vigil.proxy.llm;

import java.util.Map;

import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Relays a provider's plain reply (a non-streamed message, models, count_tokens, and every error the provider
 * answers, with its status) chunk by chunk as it arrives, keeping the first bytes for the recording: ResponseCompleted
 * with the reply (masked, cut at {@code max-recorded-reply-bytes}), COMPLETED or CLIENT_DISCONNECTED. A provider that
 * fails before sending a byte of body gets the caller a 502/504 in the provider's format; one that breaks the reply
 * mid-way resets the caller's response; both record an UpstreamError.
 */
final class PlainRelay {

  private final HttpServerRequest req;
  private final HttpServerResponse out;
  private final LlmCall call;
  private final LlmProvider provider;
  private final HttpClientResponse resp;
  private final CallerWatch watch;
  private final LlmAnswer answer;
  private final LlmGateway gateway;
  private final int cap;
  private final String hostPort;
  private final long idleMillis;
  private final Buffer kept = Buffer.buffer();
  private long total;
  private boolean done;

  PlainRelay(HttpServerRequest req, LlmCall call, LlmProvider provider, HttpClientResponse resp, CallerWatch watch,
      LlmAnswer answer, LlmGateway gateway, LlmConfig config, String hostPort) {
    this.req = req;
    this.out = req.response();
    this.call = call;
    this.provider = provider;
    this.resp = resp;
    this.watch = watch;
    this.answer = answer;
    this.gateway = gateway;
    this.cap = config.maxRecordedReplyBytes();
    this.hostPort = hostPort;
    this.idleMillis = config.streamIdleTimeout().toMillis();
  }

  void start() {
    out.setStatusCode(resp.statusCode());
    LlmForwarder.copyResponseHeaders(resp.headers(), out.headers());
    if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH) && req.version() != HttpVersion.HTTP_2) {
      out.setChunked(true);
    }
    resp.handler(this::chunk);
    resp.endHandler(v -> ended());
    resp.exceptionHandler(this::upstreamFailed);
    resp.request().idleTimeout(idleMillis); // re-armed for the body, see SseRelay
    out.drainHandler(v -> {
      if (!done) {
        resp.resume();
      }
    });
    watch.onGone(this::callerGone);
  }

  private void chunk(Buffer chunk) {
    if (done) {
      return;
    }
    total += chunk.length();
    int room = cap + SseRelay.ASSEMBLY_SLACK - kept.length();
    if (room > 0) {
      kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
    }
    out.write(chunk);
    if (out.writeQueueFull()) {
      resp.pause();
    }
  }

  private void ended() {
    if (done) {
      return;
    }
    done = true;
    out.end().onComplete(ar -> record(ar.succeeded() ? ResponseOutcome.COMPLETED : ResponseOutcome.CLIENT_DISCONNECTED));
  }

  private void upstreamFailed(Throwable err) {
    if (done) {
      return;
    }
    done = true;
    LlmGateway.UpstreamFailure failure = gateway.classify(err);
    if (!out.headWritten()) {
      out.headers().clear();
      answer.upstreamFailed(failure, provider.id(), hostPort);
      return;
    }
    call.upstreamError(failure, resp.statusCode());
    if (!out.closed()) {
      out.reset();
    }
  }

  private void callerGone() {
    if (done) {
      return;
    }
    done = true;
    resp.request().reset();
    record(ResponseOutcome.CLIENT_DISCONNECTED);
  }

  private void record(ResponseOutcome outcome) {
    call.completed(resp.statusCode(), out.headers(), Map.of(),
        LlmBodies.of(resp.getHeader(HttpHeaders.CONTENT_TYPE), kept, total, total > kept.length()), cap,
        out.bytesWritten(), outcome);
  }
}

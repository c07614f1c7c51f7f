package dev.vigil.proxy.impl;

import java.util.List;
import java.util.function.LongSupplier;

import dev.vigil.proxy.llm.LlmCall;
import dev.vigil.proxy.llm.LlmGateway;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The gateway core as the LLM channel ({@code dev.vigil.proxy.llm}) sees it: calls are {@link Exchange}s on channel
 * LLM, authenticated by the same {@link TokenAuthenticator}, in sessions of the same {@link SessionKeys}, decided by
 * {@link PolicyGate#decideLlm} (with the guardrail {@code no-secret-in-llm-prompt}), recorded by the same {@link CallRecorder} (strict mode by {@link StrictRecording}).
 *
 * <p>Every LLM body recorded goes through {@link #mask}: {@link BodyMasking#maskLlmRequest} or
 * {@link BodyMasking#maskLlmReply} over the whole text (the values of the Secrets the session read, then the masking
 * library), then the cut at the body's cap — so findings cover the whole body and no value is recorded half-masked.
 * Bodies over {@value #WORKER_THRESHOLD} characters are masked on a worker thread.
 */
final class LlmBridge implements LlmGateway {

  static final int WORKER_THRESHOLD = 64 * 1024;
  /** A frame is masked on at most this much more than its cap. */
  static final int FRAME_SLACK = 16 * 1024;

  final Vertx vertx;
  final TokenAuthenticator authenticator;
  final PolicyGate policy;
  final CallRecorder recorder;
  final StrictRecording strict;
  final StreamLimits streams;
  private final BodyMasking masking;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;

  LlmBridge(Vertx vertx, TokenAuthenticator authenticator, PolicyGate policy, CallRecorder recorder,
      StrictRecording strict, StreamLimits streams, BodyMasking masking, LongSupplier nanoClock, LongSupplier wallClock) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.policy = policy;
    this.recorder = recorder;
    this.strict = strict;
    this.streams = streams;
    this.masking = masking;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  @Override
  public LlmCall begin(HttpServerRequest request, String canonicalPath) {
    Exchange ex = new Exchange(request, nanoClock.getAsLong(), wallClock.getAsLong()).announce();
    ex.channel = Channel.LLM;
    String query = request.query() == null || request.query().isEmpty() ? null : request.query();
    String source = request.remoteAddress() == null ? null
        : request.remoteAddress().host() + ":" + request.remoteAddress().port();
    ex.ref = EventFactory.ref(ex.requestId, request.method().name(), canonicalPath, query, source,
        request.getHeader(HttpHeaders.USER_AGENT), null);
    return new LlmBridgeCall(this, ex);
  }

  @Override
  public UpstreamFailure classify(Throwable error) {
    UpstreamFailures.Failure f = UpstreamFailures.classify(error);
    return new UpstreamFailure(f.type(), f.status(), f.what(), f.detail());
  }

  /** {@link #mask} on a worker thread for a large body, else at once. */
  Future<BodyMasking.Masked> maskLater(Exchange ex, Body body, int cap, boolean request) {
    if (body == null || body.getContent().length() <= WORKER_THRESHOLD) {
      return Future.succeededFuture(mask(ex, body, cap, request));
    }
    return vertx.executeBlocking(() -> mask(ex, body, cap, request), false);
  }

  /** Masks the whole {@code body} (the request's, or a reply's or stream event's), then cuts it at {@code cap} bytes. */
  BodyMasking.Masked mask(Exchange ex, Body body, int cap, boolean request) {
    if (body == null) {
      return BodyMasking.Masked.NONE;
    }
    BodyMasking.Masked masked = request ? masking.maskLlmRequest(ex, body) : masking.maskLlmReply(ex, body);
    return new BodyMasking.Masked(masked.body() == null ? null : cut(masked.body(), cap), masked.findings());
  }

  /** {@code body} with at most {@code cap} bytes of content (UTF-8 for TEXT), flagged truncated when cut. */
  static Body cut(Body body, int cap) {
    String content = body.getContent();
    int end;
    if (body.getEncoding() == BodyEncoding.TEXT) {
      end = utf8Prefix(content, cap);
    } else {
      end = content.length() <= cap / 3 * 4 ? content.length() : cap / 3 * 4; // whole base64 quanta
    }
    if (end == content.length()) {
      return body;
    }
    return Body.newBuilder(body).setContent(content.substring(0, end)).setTruncated(true).build();
  }

  /** The length of the longest prefix of {@code s} that is at most {@code maxBytes} in UTF-8, never splitting a pair. */
  static int utf8Prefix(String s, int maxBytes) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int n;
      if (c < 0x80) {
        n = 1;
      } else if (c < 0x800) {
        n = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (bytes + 4 > maxBytes) {
          return i;
        }
        bytes += 4;
        i++;
        continue;
      } else {
        n = 3;
      }
      if (bytes + n > maxBytes) {
        return i;
      }
      bytes += n;
    }
    return s.length();
  }
}

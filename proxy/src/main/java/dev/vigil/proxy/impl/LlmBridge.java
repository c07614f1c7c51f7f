package dev.vigil.proxy.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.vigil.proxy.llm.LlmCall;
import dev.vigil.proxy.llm.LlmGateway;
import dev.vigil.proxy.llm.LlmScreening;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Channel;
import dev.vigil.schema.Finding;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The gateway core as the LLM channel ({@code dev.vigil.proxy.llm}) sees it: calls are {@link Exchange}s on channel
 * LLM, authenticated by the same {@link TokenAuthenticator}, in sessions of the same {@link SessionKeys}, decided by
 * {@link PolicyGate#decideLlm}, recorded by the same {@link CallRecorder} (strict mode by {@link StrictRecording}).
 *
 * <p>Every LLM body recorded goes through {@link #mask}: the secret screening hook ({@link LlmScreening}, L1b's
 * SecretFingerprints), then {@link BodyMasking} over the whole text, then the cut at the body's cap — so findings cover
 * the whole body and no value is recorded half-masked. Bodies over {@value #WORKER_THRESHOLD} characters are masked
 * on a worker thread.
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
  private final LlmScreening screening;
  private final LongSupplier nanoClock;
  private final LongSupplier wallClock;

  LlmBridge(Vertx vertx, TokenAuthenticator authenticator, PolicyGate policy, CallRecorder recorder,
      StrictRecording strict, StreamLimits streams, BodyMasking masking, LlmScreening screening, LongSupplier nanoClock,
      LongSupplier wallClock) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.policy = policy;
    this.recorder = recorder;
    this.strict = strict;
    this.streams = streams;
    this.masking = masking;
    this.screening = screening;
    this.nanoClock = nanoClock;
    this.wallClock = wallClock;
  }

  @Override
  public LlmCall begin(HttpServerRequest request, String canonicalPath) {
    Exchange ex = new Exchange(request, nanoClock.getAsLong(), wallClock.getAsLong());
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
  Future<BodyMasking.Masked> maskLater(Exchange ex, Body body, int cap, String location) {
    if (body == null || body.getContent().length() <= WORKER_THRESHOLD) {
      return Future.succeededFuture(mask(ex, body, cap, location));
    }
    return vertx.executeBlocking(() -> mask(ex, body, cap, location), false);
  }

  /** Screens, masks, then cuts {@code body} at {@code cap} UTF-8 bytes. */
  BodyMasking.Masked mask(Exchange ex, Body body, int cap, String location) {
    if (body == null) {
      return BodyMasking.Masked.NONE;
    }
    if (body.getEncoding() != BodyEncoding.TEXT) {
      return new BodyMasking.Masked(cut(body, cap), List.of());
    }
    LlmScreening.Screened screened = screening.screen(ex.sessionKey, location, body.getContent()); // L1b's hook
    Body text = screened.text().equals(body.getContent()) ? body
        : Body.newBuilder(body).setContent(screened.text()).setMasked(true).build();
    BodyMasking.Masked masked = masking.mask(ex, text);
    List<Finding> findings = new ArrayList<>(screened.findings());
    findings.addAll(masked.findings());
    return new BodyMasking.Masked(cut(masked.body(), cap), findings);
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

package dev.vigil.proxy.impl;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.http.HttpServerRequest;

/**
 * The server's {@code invalidRequestHandler}: a request head that could not be decoded or was refused by the
 * {@link StrictRequestDecoder} (too large, malformed, Transfer-Encoding with Content-Length, not received in time)
 * is answered with a Kubernetes Status — 431, 414, 408 or 400 — and recorded like any refusal: a RequestReceived
 * (DENY, the rule and reason of its {@link RequestHeadException}) and its ResponseCompleted. Nothing is authenticated
 * (the head is not trusted): the caller is recorded as anonymous, with what is known — method, path and query when
 * the request line was read, the peer, and the header values read so far, each cut short. The connection is closed.
 */
final class MalformedRequests {

  /** A recorded header value is cut at this many characters (the head may be an attack on size). */
  static final int MAX_RECORDED_HEADER_CHARS = 256;
  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);

  private final GatewayInterceptor gateway;
  private final CallRecorder recorder;
  private final int maxHeaderBytes;
  private final int maxLineBytes;

  MalformedRequests(GatewayInterceptor gateway, CallRecorder recorder, int maxHeaderBytes, int maxLineBytes) {
    this.gateway = gateway;
    this.recorder = recorder;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxLineBytes = maxLineBytes;
  }

  void handle(HttpServerRequest req) {
    if (ClosingConnections.closing(req.connection())) {
      return; // pipelined behind a refusal that closes the connection
    }
    Throwable cause = req.decoderResult().cause();
    RequestHeadException refusal = RequestHeadException.from(cause, lineParsed(cause), maxHeaderBytes, maxLineBytes);
    Exchange ex = gateway.begin(req);
    if (!refusal.lineParsed()) { // the request line in the head is the decoder's placeholder, not the caller's
      ex.ref = EventFactory.ref(ex.requestId, "", "", null, ex.ref.getSourceAddress(), null, null);
    }
    LOG.info("Request head refused with {} from {}: {}", refusal.code(), ex.ref.getSourceAddress(), refusal.getMessage());
    Map<String, String> headers = refusal.lineParsed() ? cut(HeaderPolicy.forRecording(req.headers())) : Map.of();
    recorder.received(ex, headers, null, EventFactory.deny(refusal.ruleId(), refusal.getMessage()));
    PreflightGuard.answer(recorder, ex, refusal.status());
  }

  /**
   * Whether the request line was read. The strict decoder says so; without it (a failure from the decoder alone) an
   * over-long line means it was not, anything else is taken to have happened in the headers.
   */
  private static boolean lineParsed(Throwable cause) {
    if (cause instanceof RequestHeadException r) {
      return r.lineParsed();
    }
    return !(cause instanceof io.netty.handler.codec.http.TooLongHttpLineException);
  }

  private static Map<String, String> cut(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach((name, value) -> out.put(name, value.length() <= MAX_RECORDED_HEADER_CHARS ? value
        : value.substring(0, MAX_RECORDED_HEADER_CHARS) + "...(" + value.length() + " characters)"));
    return out;
  }
}

package dev.vigil.proxy.llm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.vigil.schema.Body;
import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Relays a provider's event stream as it arrives — each event written to the caller (and so flushed) as soon as its
 * blank line arrived, never the whole response buffered — and records it: one StreamFrame per event (its data), and
 * when the stream ends a ResponseCompleted whose body is the reply assembled in the provider's non-streaming shape.
 *
 * <p>Outcomes: COMPLETED when the provider's last event ({@code message_stop}, {@code [DONE]}) came and the stream
 * ended; CLIENT_DISCONNECTED when the caller left (the upstream request is reset); UPSTREAM_RESET, with the reason in
 * the recorded header {@value #UPSTREAM_ERROR}, when the provider broke the connection or went silent for the idle
 * timeout ({@code RESET: ...}, {@code TIMEOUT: ...}; the caller's stream is reset), sent an event that is not valid
 * ({@code MALFORMED_SSE: ...}; what was valid was relayed, then the caller's stream ends and the upstream request is
 * reset), ended without its last event ({@code INCOMPLETE_STREAM: ...}) or with an error event ({@code STREAM_ERROR:
 * <type>: <message>}), or when a strict frame could not be recorded in time (the stream is ended both ways).
 */
final class SseRelay {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SseRelay.class);

  static final String UPSTREAM_ERROR = "vigil-upstream-error";
  /** No event may be larger (the parser holds at most this much of one). */
  static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;
  /** Assembled beyond the recording cap, so that a value cut by the cap is still masked whole. */
  static final int ASSEMBLY_SLACK = 16 * 1024;

  private final HttpServerRequest req;
  private final HttpServerResponse out;
  private final LlmCall call;
  private final HttpClientResponse resp;
  private final CallerWatch watch;
  private final LlmGateway gateway;
  private final int replyCap;
  private final long idleMillis;
  private final SseParser parser = new SseParser(MAX_EVENT_BYTES);
  private final ReplyAssembler assembler;
  private boolean done;

  SseRelay(HttpServerRequest req, LlmCall call, LlmProvider provider, HttpClientResponse resp, CallerWatch watch,
      LlmGateway gateway, LlmConfig config) {
    this.req = req;
    this.out = req.response();
    this.call = call;
    this.resp = resp;
    this.watch = watch;
    this.gateway = gateway;
    this.replyCap = config.maxRecordedReplyBytes();
    this.idleMillis = config.streamIdleTimeout().toMillis();
    this.assembler = provider.assembler((long) replyCap + ASSEMBLY_SLACK);
  }

  void start() {
    out.setStatusCode(resp.statusCode());
    LlmForwarder.copyResponseHeaders(resp.headers(), out.headers());
    out.headers().remove(HttpHeaders.CONTENT_LENGTH);
    if (req.version() != HttpVersion.HTTP_2) {
      out.setChunked(true);
    }
    resp.handler(chunk -> {
      try {
        chunk(chunk);
      } catch (RuntimeException e) {
        failedHere(e);
      }
    });
    resp.endHandler(v -> ended());
    resp.exceptionHandler(this::upstreamFailed);
    // Vert.x stops the request's idle timeout when the response head arrives: re-armed for the body (every chunk
    // received pushes it back; it fails the response with a timeout after idleMillis without one)
    resp.request().idleTimeout(idleMillis);
    out.drainHandler(v -> {
      if (!done) {
        resp.resume();
      }
    });
    call.onStrictAbort(this::strictAbort);
    watch.onGone(this::callerGone);
    if (!done) {
      out.writeHead(); // the caller sees the answer start at once, as from the provider
    }
  }

  private void chunk(Buffer chunk) {
    if (done) {
      return;
    }
    List<SseParser.Block> blocks;
    try {
      blocks = parser.feed(chunk);
    } catch (SseParser.MalformedException e) {
      malformed(e.getMessage());
      return;
    }
    for (SseParser.Block block : blocks) {
      SseParser.Event event = block.event();
      if (event != null) {
        try {
          assembler.accept(event);
        } catch (SseParser.MalformedException e) {
          malformed(e.getMessage());
          return;
        }
      }
      out.write(block.raw());
      if (event != null) {
        call.frame(frame(event));
      }
      if (done) {
        return;
      }
    }
    if (out.writeQueueFull()) {
      resp.pause();
    }
  }

  private void ended() {
    if (done) {
      return;
    }
    done = true;
    String problem = null;
    if (parser.incomplete()) {
      problem = "INCOMPLETE_STREAM: the stream ended inside an event";
    } else if (assembler.streamError() != null) {
      problem = "STREAM_ERROR: " + assembler.streamError();
    } else if (!assembler.finished()) {
      problem = "INCOMPLETE_STREAM: the stream ended before its last event";
    }
    String reason = problem;
    out.end().onComplete(ar -> record(reason != null ? ResponseOutcome.UPSTREAM_RESET
        : ar.succeeded() ? ResponseOutcome.COMPLETED : ResponseOutcome.CLIENT_DISCONNECTED, reason));
  }

  private void malformed(String why) {
    done = true;
    resp.request().reset();
    out.end().onComplete(ar -> record(ResponseOutcome.UPSTREAM_RESET, "MALFORMED_SSE: " + why));
  }

  private void upstreamFailed(Throwable err) {
    if (done) {
      return;
    }
    done = true;
    LlmGateway.UpstreamFailure failure = gateway.classify(err);
    if (!out.closed()) {
      out.reset();
    }
    record(ResponseOutcome.UPSTREAM_RESET, failure.type() + ": " + failure.detail());
  }

  /** A failure of the gateway itself while relaying: logged, both sides reset, recorded. */
  private void failedHere(RuntimeException e) {
    LOG.error("Gateway failure relaying the event stream of LLM call {}", call.requestId(), e);
    if (done) {
      return;
    }
    done = true;
    resp.request().reset();
    if (!out.closed()) {
      out.reset();
    }
    record(ResponseOutcome.UPSTREAM_RESET, "GATEWAY_FAILURE: " + e.getClass().getSimpleName());
  }

  private void callerGone() {
    if (done) {
      return;
    }
    done = true;
    resp.request().reset();
    record(ResponseOutcome.CLIENT_DISCONNECTED, null);
  }

  private void strictAbort() {
    if (done) {
      return;
    }
    done = true;
    resp.request().reset();
    if (!out.closed()) {
      out.reset();
    }
    record(ResponseOutcome.UPSTREAM_RESET, null);
  }

  private void record(ResponseOutcome outcome, String upstreamError) {
    String json;
    try {
      json = ReplyAssembler.JSON.writeValueAsString(assembler.reply());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an assembled reply", e);
    }
    Body reply = LlmBodies.text(LlmBodies.JSON, json, json.getBytes(StandardCharsets.UTF_8).length,
        assembler.truncated());
    call.completed(resp.statusCode(), out.headers(), upstreamError == null ? Map.of() : Map.of(UPSTREAM_ERROR,
        upstreamError), reply, replyCap, out.bytesWritten(), outcome);
  }

  /** An event's data as its frame records it: JSON, or text ({@code [DONE]}). */
  private static Body frame(SseParser.Event event) {
    String data = event.data();
    String type = data.stripLeading().startsWith("{") ? LlmBodies.JSON : "text/plain";
    return LlmBodies.text(type, data, data.getBytes(StandardCharsets.UTF_8).length, false);
  }
}

package dev.vigil.proxy.impl;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A streamed response (watch, followed log) as a caller under {@code maskResponse} receives it: each chunk of the
 * upstream body goes through a {@link Transform} ({@link WatchFramer} in masking mode, {@link TextStreamMasker}),
 * which relays masked pieces through {@link #emit} as they become complete — the stream is never buffered whole. A
 * transform that cannot mask what comes ends the stream early ({@link #endEarly}): a last piece saying why, then a
 * normal end for the caller, while the upstream request is reset. Backpressure is the upstream's. Event-loop confined.
 */
final class MaskedStream extends ForwardingReadStream {

  /** Recorded header of a stream the gateway ended because it could not mask it for the caller: why. */
  static final String ENDED = "vigil-mask-ended";

  /** Turns the upstream's chunks into masked pieces for the caller. */
  interface Transform extends Handler<Buffer> {
    /** The upstream ended: relay what is still held. */
    void end();

    /** The stream broke or was ended early: relay nothing more. */
    void stop();
  }

  private final Runnable abortUpstream;
  private Transform transform;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private boolean ended;
  private String endedReason;

  MaskedStream(ReadStream<Buffer> source, Runnable abortUpstream) {
    super(source);
    this.abortUpstream = abortUpstream;
  }

  /** A JSON watch for the caller: events masked, and recorded as relayed, by a {@link WatchFramer} in masking mode. */
  static MaskedStream watch(ReadStream<Buffer> source, Runnable abortUpstream, FrameRecorder frames, String contentType,
      ResponseMasking masking, Exchange ex) {
    MaskedStream s = new MaskedStream(source, abortUpstream);
    return s.transform(WatchFramer.masking(frames, contentType, masking, ex, s));
  }

  /** A followed log for the caller ({@code source} already shows the original bytes to the recording's framer). */
  static MaskedStream logs(ReadStream<Buffer> source, Runnable abortUpstream, String contentType,
      ResponseMasking masking, Vertx vertx, long holdMillis) {
    MaskedStream s = new MaskedStream(source, abortUpstream);
    return s.transform(new TextStreamMasker(masking, contentType, vertx, holdMillis, new TextStreamMasker.Output() {
      @Override
      public void emit(Buffer masked) {
        s.emit(masked);
      }

      @Override
      public void fail(String reason) {
        s.endEarly(Buffer.buffer("\n[vigil] the log stream was ended because it could not be masked for you "
            + "(maskResponse): " + reason + "\n"), reason);
      }
    }));
  }

  /** Set once, before the stream is read (the transform writes to this stream). */
  MaskedStream transform(Transform t) {
    this.transform = t;
    return this;
  }

  /** Relays a masked piece to the caller. */
  void emit(Buffer piece) {
    if (!ended && handler != null && piece != null && piece.length() > 0) {
      handler.handle(piece);
    }
  }

  /** Fail closed: relays {@code last}, ends the caller's response normally and resets the upstream request. */
  void endEarly(Buffer last, String reason) {
    if (ended) {
      return;
    }
    emit(last);
    ended = true;
    endedReason = reason;
    transform.stop();
    abortUpstream.run();
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  /** Why the gateway ended the stream, or null. */
  String endedReason() {
    return endedReason;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    this.handler = h;
    source.handler(h == null ? null : chunk -> {
      if (!ended) {
        transform.handle(chunk);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    this.endHandler = h;
    source.endHandler(h == null ? null : v -> {
      if (!ended) {
        transform.end();
        ended = true;
        h.handle(null);
      }
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    source.exceptionHandler(h == null ? null : err -> {
      if (!ended) { // after an early end, the failure is the consequence of our own reset
        ended = true;
        transform.stop();
        h.handle(err);
      }
    });
    return this;
  }
}

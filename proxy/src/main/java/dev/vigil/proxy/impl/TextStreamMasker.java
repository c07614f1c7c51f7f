package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Masks a text stream for the caller as it flows (a followed log, one exec/attach output channel), without buffering
 * the stream: complete lines are masked ({@link ResponseMasking#text}) and relayed at once; a partial line is held
 * until its line end arrives, or relayed masked {@code holdMillis} after it arrived (a prompt, a progress bar), so a
 * credential split across two writes in quick succession is still seen whole. A private-key PEM block is held from its
 * {@code BEGIN} line until its {@code END} line (or the end of the stream), whatever the delay, so it is masked as one
 * block. Held bytes are bounded by {@link ResponseMasking#maxBytes()}: a partial line over it is relayed masked as it
 * is; an unterminated key block over it ends the stream (fail closed, {@link Output#fail}). Event-loop confined.
 */
final class TextStreamMasker implements MaskedStream.Transform {

  /** Where the masked text goes. */
  interface Output {
    void emit(Buffer masked);

    /** The stream cannot be masked any further: end it, saying why. */
    void fail(String reason);
  }

  private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----");

  private final ResponseMasking masking;
  private final String contentType;
  private final Vertx vertx;
  private final long holdMillis;
  private final Output out;
  private Buffer held = Buffer.buffer();
  private long timer = -1;
  private boolean done;

  TextStreamMasker(ResponseMasking masking, String contentType, Vertx vertx, long holdMillis, Output out) {
    this.masking = masking;
    this.contentType = contentType;
    this.vertx = vertx;
    this.holdMillis = Math.max(1, holdMillis);
    this.out = out;
  }

  @Override
  public void handle(Buffer chunk) {
    if (done) {
      return;
    }
    held.appendBuffer(chunk);
    int lines = lastLineEnd(held);
    if (lines > 0) {
      int open = openKeyBlock(held.getString(0, lines, StandardCharsets.ISO_8859_1.name()));
      release(open >= 0 ? lineStart(held, open) : lines);
    }
    if (held.length() == 0) {
      cancelTimer();
    } else if (held.length() > masking.maxBytes()) {
      if (openKeyBlock(latin1(held)) >= 0) {
        stop();
        out.fail("a private key block longer than " + masking.maxBytes() + " bytes cannot be masked");
      } else {
        release(held.length() - incompleteUtf8Tail(held));
      }
    } else if (timer < 0) {
      timer = vertx.setTimer(holdMillis, id -> {
        timer = -1;
        flushPartial();
      });
    }
  }

  /** The stream ended: what is held is relayed masked (an unterminated key block is masked to its end). */
  @Override
  public void end() {
    if (!done) {
      cancelTimer();
      release(held.length());
      done = true;
    }
  }

  /** The stream broke or was ended: nothing more is relayed. */
  @Override
  public void stop() {
    cancelTimer();
    done = true;
    held = Buffer.buffer();
  }

  private void flushPartial() {
    if (!done && openKeyBlock(latin1(held)) < 0) {
      release(held.length() - incompleteUtf8Tail(held));
    }
  }

  private void release(int n) {
    if (n <= 0) {
      return;
    }
    Buffer piece = held.getBuffer(0, n);
    held = held.getBuffer(n, held.length());
    out.emit(masking.text(contentType, piece).bytes());
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Where the last private-key block without an {@code END} line after it starts, or -1. */
  static int openKeyBlock(String text) {
    Matcher m = PEM_BEGIN.matcher(text);
    int last = -1;
    int lastEnd = -1;
    while (m.find()) {
      last = m.start();
      lastEnd = m.end();
    }
    return last >= 0 && text.indexOf("-----END ", lastEnd) < 0 ? last : -1;
  }

  private static String latin1(Buffer b) {
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** The length up to and including the last {@code \n}; 0 when there is none. */
  private static int lastLineEnd(Buffer b) {
    for (int i = b.length() - 1; i >= 0; i--) {
      if (b.getByte(i) == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  private static int lineStart(Buffer b, int pos) {
    for (int i = pos - 1; i >= 0; i--) {
      if (b.getByte(i) == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  /** Bytes at the end that begin a UTF-8 character not complete yet (kept for the next piece). */
  static int incompleteUtf8Tail(Buffer b) {
    int n = b.length();
    for (int back = 1; back <= Math.min(3, n); back++) {
      int c = b.getByte(n - back) & 0xFF;
      if ((c & 0xC0) == 0x80) {
        continue; // a continuation byte: look further back for its lead
      }
      int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return need > back ? back : 0;
    }
    return 0;
  }
}

package dev.vigil.kubesim.exec;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A blocking stdin fed by the network side ({@link #offer}) and read by the session's worker
 * thread. {@link #offer} reports when more than {@code highWater} bytes wait, so that the caller
 * pauses its source; {@code onDrained} runs (on the reading thread) once the reader caught up.
 */
public final class StdinPipe extends InputStream {

  private final Deque<byte[]> chunks = new ArrayDeque<>();
  private final int highWater;
  private final Runnable onDrained;
  private byte[] current;
  private int pos;
  private long buffered;
  private boolean eof;
  private boolean throttled;

  public StdinPipe(int highWater, Runnable onDrained) {
    this.highWater = highWater;
    this.onDrained = onDrained;
  }

  /** An already closed pipe (no stdin). */
  public static StdinPipe closed() {
    StdinPipe p = new StdinPipe(1, () -> { });
    p.close();
    return p;
  }

  /** Adds bytes; returns true if the caller should pause until {@code onDrained} runs. */
  public synchronized boolean offer(byte[] data) {
    if (eof || data.length == 0) {
      return false;
    }
    chunks.addLast(data);
    buffered += data.length;
    notifyAll();
    if (buffered > highWater) {
      throttled = true;
    }
    return throttled;
  }

  /** End of stdin: readers get -1 once the buffered bytes are consumed. */
  @Override
  public synchronized void close() {
    eof = true;
    notifyAll();
  }

  @Override
  public int read() throws InterruptedIOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws InterruptedIOException {
    if (len == 0) {
      return 0;
    }
    boolean drained = false;
    int n;
    synchronized (this) {
      while (current == null && chunks.isEmpty() && !eof) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("stdin read interrupted");
        }
      }
      if (current == null) {
        current = chunks.pollFirst();
        pos = 0;
        if (current == null) {
          return -1;
        }
      }
      n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      buffered -= n;
      if (pos == current.length) {
        current = null;
      }
      if (throttled && buffered <= highWater / 2) {
        throttled = false;
        drained = true;
      }
    }
    if (drained) {
      onDrained.run();
    }
    return n;
  }
}

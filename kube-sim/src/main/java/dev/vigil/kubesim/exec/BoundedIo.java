package dev.vigil.kubesim.exec;

import java.io.InputStream;

/** Counts the output of a session and stops it at {@link ExecLimits#MAX_OUTPUT_BYTES}. */
final class BoundedIo implements ShellIo {

  /** Thrown when the output limit is reached; the shell ends with status 1. */
  static final class LimitReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitReached() {
      super("output limit reached", null, false, false);
    }
  }

  private final ShellIo io;
  private final long limit;
  private long written;

  BoundedIo(ShellIo io, long limit) {
    this.io = io;
    this.limit = limit;
  }

  @Override
  public InputStream stdin() {
    return io.stdin();
  }

  @Override
  public void out(byte[] data) {
    count(data.length);
    io.out(data);
  }

  @Override
  public void err(byte[] data) {
    count(data.length);
    io.err(data);
  }

  /** Writes to stderr without counting (the limit message itself). */
  void errUncounted(String text) {
    io.err(text);
  }

  @Override
  public boolean tty() {
    return io.tty();
  }

  private void count(int bytes) {
    written += bytes;
    if (written > limit) {
      throw new LimitReached();
    }
  }
}

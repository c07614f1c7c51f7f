package dev.vigil.kubesim.exec;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Collects stdout/stderr of a pretend process; stdin is a {@link StdinPipe} fed by the test. */
final class RecordingIo implements ShellIo {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StdinPipe stdin = new StdinPipe(Integer.MAX_VALUE, () -> { });
  private final boolean tty;

  RecordingIo(boolean tty) {
    this.tty = tty;
  }

  /** Stdin with these bytes, then end of input. */
  static RecordingIo withStdin(String input, boolean tty) {
    RecordingIo io = new RecordingIo(tty);
    io.stdin.offer(input.getBytes(StandardCharsets.UTF_8));
    io.stdin.close();
    return io;
  }

  static RecordingIo noStdin() {
    RecordingIo io = new RecordingIo(false);
    io.stdin.close();
    return io;
  }

  StdinPipe pipe() {
    return stdin;
  }

  @Override
  public InputStream stdin() {
    return stdin;
  }

  @Override
  public synchronized void out(byte[] data) {
    out.writeBytes(data);
  }

  @Override
  public synchronized void err(byte[] data) {
    err.writeBytes(data);
  }

  @Override
  public boolean tty() {
    return tty;
  }

  synchronized String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  synchronized String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  synchronized int outBytes() {
    return out.size();
  }
}

package dev.vigil.kubesim.exec;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The pretend "main process" of a container that {@code kubectl attach} connects to: it echoes
 * each stdin line back ({@code <container> received: <line>}) and otherwise keeps running until
 * the session ends. The session adds its periodic log lines (the same as {@code logs -f}).
 */
public final class MainProcess {

  private final PretendContainer container;
  private final ShellIo io;

  public MainProcess(PretendContainer container, ShellIo io) {
    this.container = container;
    this.io = io;
  }

  /** Runs until the thread is interrupted (the session ends); returns the exit status 0. */
  public int run() {
    io.out("kube-sim: attached to the pretend main process of " + container.namespace() + "/" + container.pod()
        + " (container " + container.container() + ")\n");
    LineReader lines = new LineReader(io.stdin(), io);
    long echoed = 0;
    try {
      for (String line; (line = lines.readLine()) != null; ) {
        echoed += line.length();
        if (echoed > ExecLimits.MAX_CAT_STDIN_BYTES) {
          io.err("kube-sim: the pretend main process stops echoing stdin after "
              + ExecLimits.MAX_CAT_STDIN_BYTES / (1024 * 1024) + " MiB\n");
          break;
        }
        io.out(container.container() + " received: " + line + "\n");
      }
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(60_000);
      }
    } catch (InterruptedException | InterruptedIOException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      return 1;
    }
    return 0;
  }
}

package dev.vigil.kubesim.exec;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The standard streams of a pretend process. Implementations carry them over the Kubernetes
 * channel protocol (kube-sim's WebSocket sessions) or collect them (tests). Output methods may be
 * called from the session's worker thread; implementations keep the order of the calls.
 */
public interface ShellIo {

  /** Blocking stdin; at end of stream when the client closed stdin or never opened it. */
  InputStream stdin();

  /** Writes bytes to stdout. */
  void out(byte[] data);

  /** Writes bytes to stderr (with a tty, stderr is merged into stdout by the implementation). */
  void err(byte[] data);

  /** Writes UTF-8 text to stdout. */
  default void out(String text) {
    out(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes UTF-8 text to stderr. */
  default void err(String text) {
    err(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the session has a terminal (prompts, echo of typed input, CR LF line ends). */
  boolean tty();
}

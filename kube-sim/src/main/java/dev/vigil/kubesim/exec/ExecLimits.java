package dev.vigil.kubesim.exec;

import java.time.Duration;

/** The bounds of every pretend process: output, stdin echo, sleep, session length, nesting. */
public final class ExecLimits {

  /** Longest {@code sleep}; longer requests sleep this long and say so on stderr. */
  public static final Duration MAX_SLEEP = Duration.ofSeconds(30);
  /** Output (stdout + stderr) of one session; the process ends with status 1 beyond it. */
  public static final long MAX_OUTPUT_BYTES = 8L * 1024 * 1024;
  /** Bytes of stdin that {@code cat} echoes before it stops. */
  public static final long MAX_CAT_STDIN_BYTES = 4L * 1024 * 1024;
  /** Longest exec/attach session (ended with exit status 137) and port-forward session (closed). */
  public static final Duration MAX_SESSION = Duration.ofMinutes(10);
  /** Nested {@code sh -c} levels. */
  public static final int MAX_DEPTH = 16;

  private ExecLimits() {}
}

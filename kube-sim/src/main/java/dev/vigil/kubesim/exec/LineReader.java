package dev.vigil.kubesim.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines from stdin. With a tty it also plays the terminal's line discipline, because the
 * client's terminal is in raw mode: typed characters are echoed, Enter arrives as CR, backspace
 * erases, Ctrl-C discards the line, Ctrl-D on an empty line is end of input.
 */
final class LineReader {

  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final ShellIo io;
  private final boolean tty;
  private boolean lastWasCr;

  LineReader(InputStream in, ShellIo io) {
    this.in = in;
    this.io = io;
    this.tty = io.tty();
  }

  /** The next line without its terminator, or null at end of input. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return line.size() == 0 ? null : text(line);
      }
      if (c == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = c == '\r';
      if (c == '\n' || c == '\r') {
        if (tty) {
          io.out("\n");
        }
        return text(line);
      }
      if (tty && c == 0x04) {
        if (line.size() == 0) {
          return null;
        }
        continue;
      }
      if (tty && c == 0x03) {
        io.out("^C\n");
        return "";
      }
      if (tty && (c == 0x7f || c == 0x08)) {
        if (line.size() > 0) {
          byte[] b = line.toByteArray();
          line.reset();
          line.write(b, 0, b.length - 1);
          io.out("\b \b");
        }
        continue;
      }
      if (line.size() >= MAX_LINE) {
        continue;
      }
      line.write(c);
      if (tty && c >= 0x20 && c < 0x7f) {
        io.out(String.valueOf((char) c)); // non-ASCII input is not echoed (kept simple)
      }
    }
  }

  private static String text(ByteArrayOutputStream line) {
    return line.toString(StandardCharsets.UTF_8);
  }
}

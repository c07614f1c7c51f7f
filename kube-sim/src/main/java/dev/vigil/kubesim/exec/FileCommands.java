package dev.vigil.kubesim.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code ls} and {@code cat} over the container's in-memory {@link PretendFs}. */
final class FileCommands {

  private static final String DATE = "Jan  1 00:00";

  private final PretendShell sh;

  FileCommands(PretendShell sh) {
    this.sh = sh;
  }

  int ls(List<String> args) {
    boolean longFormat = false;
    boolean all = false;
    List<String> paths = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("-") && a.length() > 1) {
        longFormat |= a.contains("l");
        all |= a.contains("a") || a.contains("A");
      } else {
        paths.add(a);
      }
    }
    if (paths.isEmpty()) {
      paths.add(".");
    }
    PretendFs fs = sh.container.fs();
    int rc = 0;
    StringBuilder out = new StringBuilder();
    List<String> dirs = new ArrayList<>();
    for (String p : paths) {
      String abs = PretendFs.normalize(sh.cwd, p);
      if (!fs.exists(abs)) {
        sh.io.err("ls: cannot access '" + p + "': No such file or directory\n");
        rc = 2;
      } else if (fs.isDir(abs)) {
        dirs.add(p);
      } else {
        entry(out, fs, abs, p, longFormat);
      }
    }
    for (String p : dirs) {
      String abs = PretendFs.normalize(sh.cwd, p);
      if (paths.size() > 1) {
        out.append(out.length() > 0 ? "\n" : "").append(p).append(":\n");
      }
      if (all) {
        entry(out, fs, abs, ".", longFormat);
        entry(out, fs, PretendFs.normalize(abs, ".."), "..", longFormat);
      }
      for (String name : fs.list(abs)) {
        entry(out, fs, PretendFs.normalize(abs, name), name, longFormat);
      }
    }
    sh.io.out(out.toString());
    return rc;
  }

  private static void entry(StringBuilder out, PretendFs fs, String abs, String shown, boolean longFormat) {
    if (longFormat) {
      boolean dir = fs.isDir(abs);
      out.append(dir ? "drwxr-xr-x" : "-rw-r--r--").append("    1 root     root     ")
          .append(String.format("%8d", fs.size(abs))).append(' ').append(DATE).append(' ');
    }
    out.append(shown).append('\n');
  }

  int cat(List<String> args) {
    List<String> files = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("-") || a.equals("-")) {
        files.add(a);
      }
    }
    if (files.isEmpty()) {
      return catStdin();
    }
    int rc = 0;
    for (String f : files) {
      if (f.equals("-")) {
        rc = Math.max(rc, catStdin());
        continue;
      }
      String abs = PretendFs.normalize(sh.cwd, f);
      Optional<byte[]> content = sh.container.fs().read(abs);
      if (content.isPresent()) {
        sh.io.out(content.get());
      } else if (sh.container.fs().isDir(abs)) {
        sh.io.err("cat: read error: Is a directory\n");
        rc = 1;
      } else {
        sh.io.err("cat: can't open '" + f + "': No such file or directory\n");
        rc = 1;
      }
    }
    return rc;
  }

  /** Copies stdin to stdout (bounded); with a tty, line by line through the line discipline. */
  int catStdin() {
    long limit = ExecLimits.MAX_CAT_STDIN_BYTES;
    long copied = 0;
    try {
      if (sh.io.tty()) {
        for (String line; (line = sh.readLine()) != null; ) {
          copied += line.length() + 1;
          if (copied > limit) {
            return catLimit(limit);
          }
          sh.io.out(line + "\n");
        }
        return 0;
      }
      InputStream in = sh.io.stdin();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) >= 0; ) {
        copied += n;
        if (copied > limit) {
          return catLimit(limit);
        }
        sh.io.out(Arrays.copyOf(buf, n));
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int catLimit(long limit) {
    sh.io.err("cat: kube-sim stops echoing stdin after " + limit / (1024 * 1024) + " MiB\n");
    return 1;
  }
}

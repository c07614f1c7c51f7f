package dev.vigil.kubesim.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tiny in-memory, read-only file tree of one pretend container. Nothing here touches the host
 * file system: paths are only keys of a map.
 */
public final class PretendFs {

  private final Map<String, byte[]> files = new TreeMap<>();
  private final SortedSet<String> dirs = new TreeSet<>();

  public PretendFs() {
    dirs.add("/");
  }

  /** Adds (or replaces) a file; its parent directories appear implicitly. */
  public PretendFs file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public PretendFs file(String path, byte[] content) {
    String p = normalize("/", path);
    files.put(p, content.clone());
    addParents(p);
    return this;
  }

  /** Adds an empty directory. */
  public PretendFs dir(String path) {
    String p = normalize("/", path);
    dirs.add(p);
    addParents(p);
    return this;
  }

  private void addParents(String p) {
    for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      dirs.add(p.substring(0, i));
    }
  }

  public boolean isDir(String path) {
    return dirs.contains(path);
  }

  public boolean exists(String path) {
    return isDir(path) || files.containsKey(path);
  }

  public Optional<byte[]> read(String path) {
    byte[] b = files.get(path);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  public long size(String path) {
    byte[] b = files.get(path);
    return b == null ? 4096 : b.length;
  }

  /** Names directly inside a directory, sorted. */
  public List<String> list(String dir) {
    String prefix = dir.equals("/") ? "/" : dir + "/";
    SortedSet<String> names = new TreeSet<>();
    for (String p : files.keySet()) {
      child(prefix, p, names);
    }
    for (String p : dirs) {
      child(prefix, p, names);
    }
    return new ArrayList<>(names);
  }

  private static void child(String prefix, String path, SortedSet<String> names) {
    if (path.startsWith(prefix) && path.length() > prefix.length()) {
      String rest = path.substring(prefix.length());
      int slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : rest.substring(0, slash));
    }
  }

  /** An absolute, normalized path for {@code path} seen from {@code cwd} ({@code .}, {@code ..}, {@code //}). */
  public static String normalize(String cwd, String path) {
    String full = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : full.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}

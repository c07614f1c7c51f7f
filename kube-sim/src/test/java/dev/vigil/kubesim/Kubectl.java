package dev.vigil.kubesim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the real /usr/bin/kubectl against a server with its own kubeconfig and caches in a temp dir. */
final class Kubectl {

  static final String BINARY = "/usr/bin/kubectl";

  record Result(int exitCode, String stdout, String stderr) {
    String out() {
      return stdout + stderr;
    }
  }

  private final Path dir;
  private final Path kubeconfig;

  Kubectl(Path dir, String serverUrl, String caPem, String token) {
    this.dir = dir;
    this.kubeconfig = dir.resolve("kubeconfig");
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    String config = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sim
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: agent
          user:
            token: %s
        contexts:
        - name: sim
          context: {cluster: sim, user: agent}
        current-context: sim
        """.formatted(serverUrl, ca, token);
    try {
      Files.writeString(kubeconfig, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean available() {
    return Files.isExecutable(Path.of(BINARY));
  }

  Path dir() {
    return dir;
  }

  ProcessBuilder builder(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY);
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + dir.resolve("cache"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("HOME", dir.toString());
    pb.environment().remove("KUBECONFIG");
    return pb;
  }

  /** Runs kubectl to completion (killed after 30 s). */
  Result run(String... args) {
    return run(Map.of(), null, args);
  }

  /** Runs kubectl with {@code input} as its stdin (killed after 30 s). */
  Result runWithInput(String input, String... args) {
    return run(Map.of(), input, args);
  }

  /** Runs kubectl with extra environment variables (killed after 30 s). */
  Result runWithEnv(Map<String, String> env, String... args) {
    return run(env, null, args);
  }

  private Result run(Map<String, String> env, String input, String... args) {
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Path in = Files.createTempFile(dir, "in", ".txt");
      Files.writeString(in, input == null ? "" : input);
      ProcessBuilder pb = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("kubectl " + String.join(" ", args) + " timed out; stderr: " + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A long-running kubectl (watch, logs -f) whose stdout lines can be awaited. */
  final class Streaming implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    Streaming(String... args) throws IOException {
      process = builder(args).redirectError(dir.resolve("stream-err.txt").toFile()).start();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          // process ended
        }
      }, "kubectl-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a stdout line matching the predicate; returns it, or throws with what was seen. */
    String awaitLine(Predicate<String> predicate, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          seen.add(line);
          if (predicate.test(line)) {
            return line;
          }
        }
      }
      throw new AssertionError("no matching line within " + timeout + "; saw " + seen);
    }

    List<String> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  Streaming stream(String... args) throws IOException {
    return new Streaming(args);
  }
}

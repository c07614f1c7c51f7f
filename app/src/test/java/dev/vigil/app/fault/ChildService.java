package dev.vigil.app.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vigil service in a child JVM, as in production: {@code java -cp <this test's class path> dev.vigil.app.Vigil
 * <command> --config <file>}, output to a log file. {@link #kill()} is SIGKILL ({@link Process#destroyForcibly()}):
 * no shutdown hook, no commit, no flush. {@link #close()} always leaves no process behind.
 */
final class ChildService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildService.class);

  private final String command;
  private final Path log;
  private final Process process;

  private ChildService(String command, Path log, Process process) {
    this.command = command;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code vigil <command>} with {@code settings} and waits (bounded) until it says it is running. */
  static ChildService start(String command, Map<String, String> settings, Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve(name + ".properties");
      StringBuilder props = new StringBuilder();
      new TreeMap<>(settings).forEach((k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
      Files.writeString(config, props, StandardCharsets.UTF_8);
      Path log = logDir(dir).resolve(name + "-" + System.currentTimeMillis() + ".log");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "dev.vigil.app.Vigil", command, "--config", config.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
      ChildService child = new ChildService(command, log, pb.start());
      // a last resort should the test JVM itself be stopped mid-test: never leave a service JVM behind
      Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly, "kill-" + name));
      LOG.info("started vigil {} as pid {} (log {})", command, child.process.pid(), log);
      child.awaitRunning(Duration.ofSeconds(120));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start vigil " + command, e);
    }
  }

  /** Child logs outlive the test's temporary directory: {@code target/fault-logs} when run by Maven. */
  private static Path logDir(Path fallback) throws IOException {
    Path target = Path.of("target");
    Path dir = Files.isDirectory(target) ? target.resolve("fault-logs") : fallback;
    Files.createDirectories(dir);
    return dir;
  }

  private void awaitRunning(Duration timeout) {
    String marker = "vigil " + command + " running";
    try {
      Poll.until(marker, timeout, () -> {
        if (!process.isAlive()) {
          throw new AssertionError("vigil " + command + " exited with " + process.exitValue() + ": " + tail());
        }
        return logText().contains(marker);
      });
    } catch (AssertionError e) {
      close();
      throw new AssertionError(e.getMessage() + "\n" + tail(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("vigil " + command + " (pid " + process.pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    LOG.info("killed vigil {} (pid {}), exit {}", command, process.pid(), process.exitValue());
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String tail() {
    String text = logText();
    return text.substring(Math.max(0, text.length() - 4000));
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 15 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

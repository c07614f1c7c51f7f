package dev.vigil.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the bench (a JVM or nginx), its output in a log file. Its stdin stays open: the bench's own
 * children ({@link BenchUpstream}) exit when it closes, so they die with the bench even when it is killed.
 */
final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new ChildProcess(name, p, log);
  }

  /** {@code java <jvmOptions> -cp <this JVM's classpath> <mainClass> <args>}. */
  static List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.add("-Dlog4j2.configurationFile=classpath:log4j2-vigil.xml");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Waits until the log holds {@code marker} or {@code file} exists (either may be null); fails if the child died. */
  void awaitReady(String marker, Path file, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (file != null && Files.exists(file)) {
        return;
      }
      if (marker != null && Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + " before it was ready; see " + log);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IOException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the child: closes its stdin, asks it to terminate, and kills it after 15 s. */
  @Override
  public void close() throws IOException {
    try {
      process.getOutputStream().close();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}

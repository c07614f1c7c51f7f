package dev.vigil.bench.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.app.agent.AgentTrust;

/**
 * One {@code vigil demo} process, measured from the outside: process start to the ready banner, peak RSS after some
 * traffic, SIGTERM to exit. The launcher execs the JVM, so the process's pid is the JVM's.
 */
final class DemoRun {

  static final Pattern READY = Pattern.compile("^Vigil demo ready in ([\\d.]+) s$");
  static final Pattern STOPPED = Pattern.compile("^Stopped in (\\d+) ms\\.$");
  static final Pattern PROXY = Pattern.compile("^\\s*proxy \\(Kubernetes API for agents\\)\\s+(\\S+)$");
  static final String[] PATHS = {"/api/v1/namespaces/payments/pods", "/api/v1/namespaces", "/apis/apps/v1/deployments",
      "/api/v1/namespaces/payments/configmaps"};

  /** What one run measured; -1 (or null) where it did not get that far. */
  record Result(double readyMillis, double bannerReadySeconds, long peakRssKb, long rssKb, String traffic,
      double stopMillis, long stoppedInMillis, int exitCode, String error) {}

  private final List<String> out = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);

  /** Starts the demo with {@code command}, runs traffic once ready, stops it, and says what happened. */
  Result run(List<String> command, Path dir, Path stderr, Path vigil) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    Thread reader = new Thread(() -> read(p), "demo-stdout");
    reader.start();
    try {
      boolean up = ready.await(180, TimeUnit.SECONDS) && p.isAlive();
      double readyMillis = (System.nanoTime() - t0) / 1e6;
      if (!up) {
        return failed(p, reader, "not ready within 180 s (exit " + (p.isAlive() ? "-" : p.exitValue()) + "); see "
            + stderr.getFileName());
      }
      String traffic = traffic(dir, vigil);
      Thread.sleep(1000);
      long[] mem = memory(p.pid());
      long t1 = System.nanoTime();
      p.toHandle().destroy(); // SIGTERM; unlike Process.destroy it leaves stdout open, so "Stopped in" is still read
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      double stopMillis = (System.nanoTime() - t1) / 1e6;
      if (!exited) {
        return failed(p, reader, "still running 60 s after SIGTERM");
      }
      reader.join(5000);
      return new Result(readyMillis, bannerReady(), mem[0], mem[1], traffic, stopMillis, stoppedIn(), p.exitValue(), null);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Result failed(Process p, Thread reader, String why) throws InterruptedException {
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    reader.join(5000);
    return new Result(-1, -1, -1, -1, null, -1, -1, p.isAlive() ? -1 : p.exitValue(), why);
  }

  private void read(Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (out) {
          out.add(line);
        }
        if (READY.matcher(line).matches()) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      System.err.println("demo: reading the demo's output failed: " + e);
    } finally {
      ready.countDown(); // the process ended: the waiter sees it is not alive
    }
  }

  /** The scripted agent (needs kubectl), then sequential GETs through the proxy with the agent's token. */
  private String traffic(Path dir, Path vigil) throws IOException, InterruptedException {
    StringBuilder what = new StringBuilder();
    if (onPath("kubectl")) {
      Process agent = new ProcessBuilder(vigil.toString(), "demo-agent", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      boolean done = agent.waitFor(120, TimeUnit.SECONDS);
      if (!done) {
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      what.append("`vigil demo-agent` (").append(done ? "exit " + agent.exitValue() : "killed after 120 s").append("), ");
    } else {
      what.append("no kubectl on PATH: no demo-agent, ");
    }
    String proxy = first(PROXY);
    if (proxy == null) {
      return what.append("no proxy URL in the banner").toString();
    }
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(AgentTrust.sslContext(Files.readString(dir.resolve("ca.crt"), StandardCharsets.UTF_8))).build();
      String token = Files.readString(dir.resolve("agent.token"), StandardCharsets.UTF_8).strip();
      int ok = 0;
      for (int i = 0; i < 100; i++) {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(proxy + PATHS[i % PATHS.length]))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.discarding());
        ok += r.statusCode() == 200 ? 1 : 0;
      }
      return what.append("100 GETs (").append(ok).append(" answered 200)").toString();
    } catch (java.security.GeneralSecurityException e) {
      return what.append("GETs not sent: ").append(e.getMessage()).toString();
    }
  }

  /** VmHWM and VmRSS in kB from /proc/<pid>/status; -1 when not readable (not Linux). */
  static long[] memory(long pid) {
    long[] kb = {-1, -1};
    try {
      for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (l.startsWith("VmHWM:")) {
          kb[0] = Long.parseLong(l.replaceAll("\\D", ""));
        } else if (l.startsWith("VmRSS:")) {
          kb[1] = Long.parseLong(l.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      System.err.println("demo: cannot read /proc/" + pid + "/status: " + e.getMessage());
    }
    return kb;
  }

  private double bannerReady() {
    String s = first(READY);
    return s == null ? -1 : Double.parseDouble(s);
  }

  private long stoppedIn() {
    String s = first(STOPPED);
    return s == null ? -1 : Long.parseLong(s);
  }

  private String first(Pattern p) {
    synchronized (out) {
      for (String l : out) {
        Matcher m = p.matcher(l);
        if (m.matches()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  static boolean onPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, binary))) {
        return true;
      }
    }
    return false;
  }
}

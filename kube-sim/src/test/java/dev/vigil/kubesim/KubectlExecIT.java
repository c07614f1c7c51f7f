package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real kubectl 1.32 running exec, attach and port-forward against kube-sim over TLS. */
class KubectlExecIT extends KubectlFixture {

  @Test
  void shouldPrintTheEnvironmentOfThePodSpec() {
    Kubectl.Result r = kubectl.run("exec", "-n", "payments", POD, "--", "env");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("DB_HOST=payments-db.payments.svc\n", "HOSTNAME=" + POD + "\n",
        "LOG_LEVEL=info\n", "KUBERNETES_SERVICE_HOST=10.96.0.1\n");
  }

  @Test
  void shouldExitWithTheExitCodeOfTheCommand() {
    Kubectl.Result r = kubectl.run("exec", "-n", "payments", POD, "--", "sh", "-c", "echo hi; exit 3");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("hi\n");
    assertThat(r.stderr()).contains("command terminated with exit code 3");
  }

  @Test
  void shouldEchoPipedStdinWithCat() {
    Kubectl.Result r = kubectl.runWithInput("first line\nsecond line\n", "exec", "-i", "-n", "payments", POD, "--",
        "cat");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("first line\nsecond line\n");
  }

  @Test
  void shouldReportAnUnknownCommandWithExitCode127() {
    Kubectl.Result r = kubectl.run("exec", "-n", "payments", POD, "--", "nosuchcmd");
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.stderr()).contains("sh: nosuchcmd: not found").contains("command terminated with exit code 127");
  }

  @Test
  void shouldReadAMountedConfigFileAndRunScriptsFromStdin() {
    Kubectl.Result r = kubectl.run("exec", "-n", "payments", POD, "-c", "api", "--", "cat",
        "/app/config/application.yaml");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("port: 8080");
    Kubectl.Result sh = kubectl.runWithInput("cd /app\nls\nexit 0\n", "exec", "-i", "-n", "payments", POD, "--", "sh");
    assertThat(sh.exitCode()).as(sh.stderr()).isZero();
    assertThat(sh.stdout()).contains("config\nconfig.yaml\n");
  }

  @Test
  void shouldRejectAnUnknownContainerLikeTheApiServer() {
    Kubectl.Result r = kubectl.run("exec", "-n", "payments", POD, "-c", "nope", "--", "ls");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("container nope is not valid for pod " + POD);
  }

  @Test
  void shouldRecordTheUpgradeRequestWithItsImpersonationHeaders() {
    Kubectl.Result r = kubectl.run("exec", "--as", "alice@example.com", "--as-group", "payments-oncall", "-n",
        "payments", POD, "--", "id");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("uid=0(root) gid=0(root) groups=0(root)\n");
    assertThat(sim.requests()).anySatisfy(req -> {
      assertThat(req.path()).isEqualTo("/api/v1/namespaces/payments/pods/" + POD + "/exec");
      assertThat(req.query()).contains("command=id");
      assertThat(req.method()).isEqualTo("GET");
      assertThat(req.header("Upgrade")).isEqualToIgnoringCase("websocket");
      assertThat(req.header("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
      assertThat(req.header("Impersonate-User")).isEqualTo("alice@example.com");
      assertThat(req.headers("Impersonate-Group")).containsExactly("payments-oncall");
    });
  }

  @Test
  void shouldExplainThatSpdyIsRefused() {
    Kubectl.Result r = kubectl.runWithEnv(Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"), "exec", "-n",
        "payments", POD, "--", "ls");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("kube-sim serves exec over WebSocket only").contains("SPDY upgrades are refused");
  }

  @Test
  void shouldAttachToTheMainProcess() throws Exception {
    try (Kubectl.Streaming attach = kubectl.stream("attach", "-n", "payments", POD, "-c", "api")) {
      assertThat(attach.awaitLine(l -> l.contains("attached to the pretend main process"), Duration.ofSeconds(20)))
          .contains(POD);
      assertThat(attach.awaitLine(l -> l.contains("heartbeat"), Duration.ofSeconds(20))).contains(POD);
    }
  }

  @Test
  void shouldForwardALocalPortToThePretendServerOfThePod() throws Exception {
    try (Kubectl.Streaming pf = kubectl.stream("port-forward", "-n", "payments", "pod/" + POD, ":8080")) {
      String line = pf.awaitLine(l -> l.startsWith("Forwarding from 127.0.0.1:"), Duration.ofSeconds(20));
      int localPort = Integer.parseInt(line.replaceAll("Forwarding from 127\\.0\\.0\\.1:(\\d+) .*", "$1"));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (String path : List.of("/", "/health")) {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body()).contains("hello from " + POD).contains("GET " + path + " HTTP/1.1");
      }
    }
  }

  @Test
  void shouldRunAnInteractiveShellWithATty() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) not installed");
    List<String> cmd = kubectl.builder("exec", "-it", "-n", "payments", POD, "--", "sh").command();
    String line = cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    ProcessBuilder pb = kubectl.builder().command(new ArrayList<>(List.of("/usr/bin/script", "-qec", line, "/dev/null")))
        .redirectErrorStream(true);
    Process p = pb.start();
    StringBuffer seen = new StringBuffer();
    Thread reader = new Thread(() -> copy(p.getInputStream(), seen), "script-output");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitText(seen, "# ");
      OutputStream in = p.getOutputStream();
      in.write("echo tty-$HOSTNAME\r".getBytes(StandardCharsets.UTF_8));
      in.flush();
      awaitText(seen, "tty-" + POD + "\r\n");
      in.write("exit 4\r".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kubectl exec -it ended; saw %s", seen).isTrue();
      assertThat(p.exitValue()).as(seen.toString()).isEqualTo(4);
    } finally {
      p.destroyForcibly();
    }
  }

  private static void copy(InputStream in, StringBuffer seen) {
    byte[] buf = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (java.io.IOException e) {
      // process ended
    }
  }

  private static void awaitText(StringBuffer seen, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!seen.toString().contains(text)) {
      assertThat(System.nanoTime()).as("waiting for %s; saw %s", text, seen).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}

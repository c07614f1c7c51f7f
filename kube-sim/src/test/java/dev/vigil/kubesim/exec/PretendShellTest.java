package dev.vigil.kubesim.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PretendShellTest {

  private static final PretendContainer CONTAINER = new PretendContainer("payments", "api-0", "api", "busybox",
      Map.of("HOSTNAME", "api-0", "HOME", "/root", "DB_HOST", "db.payments.svc"),
      new PretendFs().file("/etc/hostname", "api-0\n").file("/app/config.yaml", "port: 8080\n").dir("/tmp"),
      "/", 0, 0);

  private static int exec(RecordingIo io, String... argv) {
    return new PretendShell(CONTAINER, io).exec(List.of(argv));
  }

  @Test
  void shouldPrintTheContainerEnvironment() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "env")).isZero();
    assertThat(io.out()).contains("DB_HOST=db.payments.svc\n", "HOSTNAME=api-0\n");
    RecordingIo one = RecordingIo.noStdin();
    assertThat(exec(one, "printenv", "DB_HOST")).isZero();
    assertThat(one.out()).isEqualTo("db.payments.svc\n");
    assertThat(exec(RecordingIo.noStdin(), "printenv", "NOPE")).isEqualTo(1);
  }

  @Test
  void shouldRunAShDashCListAndExitWithItsStatus() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "sh", "-c", "echo hi; exit 3; echo never")).isEqualTo(3);
    assertThat(io.out()).isEqualTo("hi\n");
    assertThat(exec(RecordingIo.noStdin(), "bash", "-c", "exit 300")).isEqualTo(44);
  }

  @Test
  void shouldReportAnUnknownCommandWithStatus127() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "nosuchcmd", "--flag")).isEqualTo(127);
    assertThat(io.err()).isEqualTo("sh: nosuchcmd: not found\n");
    assertThat(io.out()).isEmpty();
  }

  @Test
  void shouldHonourAndOrAndTheLastStatus() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "sh", "-c", "false && echo no || echo yes; true && echo $?; false; echo $?")).isZero();
    assertThat(io.out()).isEqualTo("yes\n0\n1\n");
  }

  @Test
  void shouldExpandVariablesAndRemoveQuotes() {
    RecordingIo io = RecordingIo.noStdin();
    exec(io, "sh", "-c", "X=1; echo \"$X ${DB_HOST}\" '$X' a\\ b $UNSET end # comment; export Y=2\necho $Y");
    assertThat(io.out()).isEqualTo("1 db.payments.svc $X a b end\n\n");
    RecordingIo exported = RecordingIo.noStdin();
    exec(exported, "sh", "-c", "export Y=2; Z=3 printenv Z; echo $Y $Z");
    assertThat(exported.out()).isEqualTo("3\n2\n");
  }

  @Test
  void shouldRejectShellFeaturesItDoesNotHaveWithStatus2() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "sh", "-c", "echo x > /tmp/f")).isEqualTo(2);
    assertThat(io.err()).isEqualTo("sh: redirections are not supported by kube-sim's pretend shell\n");
    assertThat(exec(RecordingIo.noStdin(), "sh", "-c", "echo 'open")).isEqualTo(2);
    RecordingIo pipe = RecordingIo.noStdin();
    assertThat(exec(pipe, "sh", "-c", "echo first; env | grep X")).isEqualTo(2);
    assertThat(pipe.out()).isEmpty();
    assertThat(pipe.err()).isEqualTo("sh: pipes are not supported by kube-sim's pretend shell\n");
  }

  @Test
  void shouldCatFilesAndReportMissingOnes() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "cat", "/app/config.yaml")).isZero();
    assertThat(io.out()).isEqualTo("port: 8080\n");
    RecordingIo missing = RecordingIo.noStdin();
    assertThat(exec(missing, "cat", "/etc/shadow")).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("cat: can't open '/etc/shadow': No such file or directory\n");
  }

  @Test
  void shouldListDirectories() {
    RecordingIo io = RecordingIo.noStdin();
    assertThat(exec(io, "ls", "/")).isZero();
    assertThat(io.out()).isEqualTo("app\netc\ntmp\n");
    RecordingIo longFormat = RecordingIo.noStdin();
    exec(longFormat, "sh", "-c", "cd /app; pwd; ls -l");
    assertThat(longFormat.out()).startsWith("/app\n-rw-r--r--").contains(" 11 ").endsWith("config.yaml\n");
    RecordingIo missing = RecordingIo.noStdin();
    assertThat(exec(missing, "ls", "/nope")).isEqualTo(2);
    assertThat(missing.err()).contains("No such file or directory");
  }

  @Test
  void shouldEchoStdinWithCatUntilStdinCloses() {
    RecordingIo io = RecordingIo.withStdin("hello\nworld\n", false);
    assertThat(exec(io, "cat")).isZero();
    assertThat(io.out()).isEqualTo("hello\nworld\n");
  }

  @Test
  void shouldStopEchoingStdinAfterTheLimit() {
    RecordingIo io = new RecordingIo(false);
    byte[] mib = new byte[1024 * 1024];
    java.util.Arrays.fill(mib, (byte) 'x');
    for (int i = 0; i < 5; i++) {
      io.pipe().offer(mib);
    }
    io.pipe().close();
    assertThat(exec(io, "cat")).isEqualTo(1);
    assertThat(io.outBytes()).isLessThanOrEqualTo((int) ExecLimits.MAX_CAT_STDIN_BYTES);
    assertThat(io.err()).contains("stops echoing stdin after 4 MiB");
  }

  @Test
  void shouldStopAProcessAtTheOutputLimit() {
    byte[] big = new byte[3 * 1024 * 1024];
    PretendContainer c = new PretendContainer("ns", "p", "c", "img", Map.of(), new PretendFs().file("/big", big),
        "/", 0, 0);
    RecordingIo io = RecordingIo.noStdin();
    assertThat(new PretendShell(c, io).exec(List.of("sh", "-c", "cat /big; cat /big; cat /big; echo never")))
        .isEqualTo(1);
    assertThat(io.outBytes()).isLessThanOrEqualTo((int) ExecLimits.MAX_OUTPUT_BYTES);
    assertThat(io.out()).doesNotContain("never");
    assertThat(io.err()).contains("output limit of 8 MiB reached");
  }

  @Test
  void shouldRunAnInteractiveShellReadingLinesFromStdin() {
    RecordingIo io = RecordingIo.withStdin("echo one\nhostname\nexit 5\necho never\n", false);
    assertThat(exec(io, "sh")).isEqualTo(5);
    assertThat(io.out()).isEqualTo("one\napi-0\n");
  }

  @Test
  void shouldPromptAndEchoTypedInputWithATty() {
    RecordingIo io = RecordingIo.withStdin("whoamx\u007fi\rexit\r", true);
    assertThat(exec(io, "sh")).isZero();
    assertThat(io.out()).isEqualTo("# whoamx\b \bi\nroot\n# exit\n");
  }

  @Test
  void shouldReportTheUserOfTheContainer() {
    RecordingIo io = RecordingIo.noStdin();
    exec(io, "sh", "-c", "id; whoami; hostname; uname");
    assertThat(io.out()).isEqualTo("uid=0(root) gid=0(root) groups=0(root)\nroot\napi-0\nLinux\n");
    PretendContainer nonRoot = new PretendContainer("ns", "p", "c", "img", Map.of(), new PretendFs(), "/", 1000, 3000);
    RecordingIo other = RecordingIo.noStdin();
    assertThat(new PretendShell(nonRoot, other).exec(List.of("whoami"))).isEqualTo(1);
    new PretendShell(nonRoot, other).exec(List.of("id"));
    assertThat(other.out()).isEqualTo("uid=1000 gid=3000 groups=3000\n");
  }

  @Test
  void shouldSleepBrieflyAndRejectABadInterval() {
    assertThat(exec(RecordingIo.noStdin(), "sleep", "0.01")).isZero();
    RecordingIo bad = RecordingIo.noStdin();
    assertThat(exec(bad, "sleep", "soon")).isEqualTo(1);
    assertThat(bad.err()).contains("invalid time interval");
  }

  @Test
  void shouldEndWith137WhenTheSessionIsInterrupted() throws Exception {
    RecordingIo io = new RecordingIo(false);
    CompletableFuture<Integer> code = new CompletableFuture<>();
    Thread t = new Thread(() -> code.complete(exec(io, "sh", "-c", "sleep 20")));
    t.start();
    Thread.sleep(100);
    t.interrupt();
    assertThat(code.get(5, TimeUnit.SECONDS)).isEqualTo(137);
    CompletableFuture<Integer> cat = new CompletableFuture<>();
    Thread reader = new Thread(() -> cat.complete(exec(io, "cat")));
    reader.start();
    Thread.sleep(50);
    reader.interrupt();
    assertThat(cat.get(5, TimeUnit.SECONDS)).isEqualTo(137);
  }

  @Test
  void shouldRunCommandsGivenWithAPathAndScriptsFromFiles() {
    PretendContainer c = new PretendContainer("ns", "p", "c", "img", Map.of(),
        new PretendFs().file("/app/run.sh", "echo from script\nexit 4\n"), "/", 0, 0);
    RecordingIo io = RecordingIo.noStdin();
    assertThat(new PretendShell(c, io).exec(List.of("/bin/sh", "/app/run.sh"))).isEqualTo(4);
    assertThat(new PretendShell(c, io).exec(List.of("/usr/bin/env", "A=1", "printenv", "A"))).isZero();
    assertThat(io.out()).isEqualTo("from script\n1\n");
  }
}

package dev.vigil.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary for the demo's end-to-end tests. */
final class DemoKubectl {

  private DemoKubectl() {}

  record Proc(int exit, String stdout, String stderr) {}

  static Proc kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    Path err = Files.createTempFile("kubectl", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl timed out: " + cmd);
    }
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}

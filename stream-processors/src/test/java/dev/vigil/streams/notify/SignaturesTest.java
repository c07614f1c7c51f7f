package dev.vigil.streams.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignaturesTest {

  private static final byte[] KEY = TestAlerts.secret();
  private static final byte[] BODY = "{\"schema\":\"vigil.alert.v1\",\"alertId\":\"a-1\"}".getBytes(StandardCharsets.UTF_8);
  private static final long TS = 1_740_830_400L;


  @Test
  void shouldSignTheTimestampAndTheBody() {
    String sig = Signatures.sign(KEY, TS, BODY);

    assertThat(sig).matches("v1=[0-9a-f]{64}");
    assertThat(Signatures.verify(KEY, Long.toString(TS), sig, BODY, TS + 10, 300)).isTrue();
    assertThat(Signatures.sign(KEY, TS + 1, BODY)).isNotEqualTo(sig);
  }

  @Test
  void shouldRejectAnOtherBodyKeyOrTimestamp() {
    String sig = Signatures.sign(KEY, TS, BODY);

    assertThat(Signatures.verify(KEY, Long.toString(TS), sig, "{}".getBytes(StandardCharsets.UTF_8), TS, 300)).isFalse();
    assertThat(Signatures.verify("another-key-0123456789".getBytes(StandardCharsets.UTF_8), Long.toString(TS), sig, BODY, TS, 300))
        .isFalse();
    assertThat(Signatures.verify(KEY, Long.toString(TS + 1), sig, BODY, TS, 300)).isFalse();
    assertThat(Signatures.verify(KEY, "not-a-number", sig, BODY, TS, 300)).isFalse();
    assertThat(Signatures.verify(KEY, Long.toString(TS), "v1=zz", BODY, TS, 300)).isFalse();
    assertThat(Signatures.verify(KEY, Long.toString(TS), null, BODY, TS, 300)).isFalse();
  }

  @Test
  void shouldRejectAReplayOutsideTheTolerance() {
    String sig = Signatures.sign(KEY, TS, BODY);

    assertThat(Signatures.verify(KEY, Long.toString(TS), sig, BODY, TS + 301, 300)).isFalse();
    assertThat(Signatures.verify(KEY, Long.toString(TS), sig, BODY, TS - 301, 300)).isFalse();
  }

  @Test
  void shouldAcceptAnyOfSeveralSignatures() {
    String sig = Signatures.sign(KEY, TS, BODY);

    assertThat(Signatures.verify(KEY, Long.toString(TS), "v1=" + "0".repeat(64) + ", " + sig, BODY, TS, 300)).isTrue();
  }

  @Test
  void shouldBeVerifiableWithTheDocumentedOpensslOneLiner(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) || Files.isExecutable(Path.of("/bin/openssl")), "openssl not installed");
    TestAlerts.secretFile(dir, "webhook.secret");
    Files.write(dir.resolve("body.json"), BODY);

    String line = readmeOneLiner();

    assertThat(runOneLiner(line, dir, Signatures.sign(KEY, TS, BODY))).isEqualTo("valid");
    assertThat(runOneLiner(line, dir, Signatures.sign(KEY, TS + 1, BODY))).isEqualTo("INVALID");
  }

  /** The receiver-side check of this module's README.md, "Verifying a signature", as written there. */
  private static String readmeOneLiner() throws Exception {
    return Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("expected=\"v1=")).findFirst()
        .orElseThrow(() -> new AssertionError("README.md has no line starting with expected=\"v1="));
  }

  private static String runOneLiner(String line, Path dir, String signature) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", line).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("TS", Long.toString(TS));
    pb.environment().put("SIG", signature);
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }
}

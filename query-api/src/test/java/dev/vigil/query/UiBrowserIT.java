package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.common.Settings;
import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;

/**
 * The analyst UI in a real browser: Debian's headless Chromium driven by Playwright (src/test/ui/ui-test.mjs) against a
 * server answering the issue 6 contract, over documents seeded into the embedded OpenSearch node ({@link UiSeedData}).
 * The script logs in with a real analyst token from the dev OIDC issuer, searches and pages, opens a session, reads
 * the timeline, replays an exec in the terminal player, verifies (intact → verified, tampered → first divergent
 * event), exports NDJSON, checks the alerts page, and checks that recorded {@code <script>} payloads are shown as text
 * and never run. Screenshots go to target/ui-screenshots/.
 *
 * <p>Skipped (assumption) only when /usr/bin/chromium or node is missing. {@code npm ci} runs here when
 * src/test/ui/node_modules is missing (.ci/run does it before Maven).
 */
@ExtendWith(OpenSearchExtension.class)
class UiBrowserIT {

  /** The server the browser talks to: the real query API ({@link #contractStub} stays for UI work without it). */
  private static final ServerUnderTest SERVER = UiBrowserIT::realQueryApi;

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

  /** What a server under test gets: the running pieces and the seeded data. */
  record Stack(Vertx vertx, EmbeddedOpenSearch openSearch, DevOidcIssuer issuer, UiSeedData seed, String analystToken) {}

  /** A started server: where the browser goes, and how to stop it. */
  record Started(String baseUrl, Supplier<Future<Void>> close) {}

  @FunctionalInterface
  interface ServerUnderTest {
    Started start(Stack stack) throws Exception;
  }

  /** TEST-ONLY: the contract stub over the seeded documents (accepts exactly the analyst token). */
  static Started contractStub(Stack s) throws Exception {
    ContractStubApi stub = await(ContractStubApi.start(s.vertx(), s.openSearch().httpUrl(), s.analystToken(),
        s.seed().publicKey()));
    return new Started("http://127.0.0.1:" + stub.port(), stub::close);
  }

  /** The real query API (issuer discovery, token validation, OpenSearch) on the contract's default index names. */
  static Started realQueryApi(Stack s) throws Exception {
    Path key = Files.createTempFile("ui-test-key", ".pub.pem");
    Files.writeString(key, dev.vigil.schema.chain.Ed25519Keys.toPem(s.seed().publicKey()));
    QueryApi api = await(QueryApi.start(s.vertx(), QueryApiConfig.from(Settings.of(Map.of(
        QueryApiConfig.PORT, "0",
        QueryApiConfig.OIDC_ISSUER, s.issuer().issuerUrl(),
        QueryApiConfig.OPENSEARCH_URL, s.openSearch().httpUrl(),
        QueryApiConfig.INDEX_PATTERN, UiSeedData.EVENTS_INDEX_PREFIX + "-*",
        SigningKeys.PREFIX + "ui-test-key", key.toString())))));
    return new Started("http://127.0.0.1:" + api.port(), api::close);
  }

  private static Path module;
  private static Path uiTestDir;

  @BeforeAll
  static void browserAvailable() {
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM + " (apt-get install chromium)");
    assumeTrue(commandWorks(List.of("node", "--version")), "node is not on the PATH");
    module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    uiTestDir = module.resolve("src/test/ui");
  }

  @Test
  void analystWorkflowInARealBrowser(EmbeddedOpenSearch openSearch) throws Exception {
    ensureNodeModules();
    Vertx vertx = Vertx.vertx();
    DevOidcIssuer issuer = null;
    UiSeedData seed = new UiSeedData();
    UiSeedData.OpenSearchRest os = new UiSeedData.OpenSearchRest(openSearch.httpUrl());
    Started server = null;
    try {
      issuer = await(DevOidcIssuer.start(vertx, 0));
      String token = issuer.mint("analyst-1", List.of("vigil-analysts"), Duration.ofMinutes(30));
      seed.write(os);
      server = SERVER.start(new Stack(vertx, openSearch, issuer, seed, token));
      Path screenshots = module.resolve("target/ui-screenshots");
      Files.createDirectories(screenshots);

      List<String> output = new ArrayList<>();
      int exit = run(List.of("node", "ui-test.mjs", server.baseUrl(), token, screenshots.toString()), uiTestDir, SCRIPT_TIMEOUT, output);

      assertThat(exit).as("ui-test.mjs exit code; its output:%n%s", String.join("\n", output)).isZero();
      assertThat(output).as("the script reached its end").anyMatch(l -> l.contains("UI test passed"));
      assertThat(screenshots.resolve("05-exec-replay.png")).exists();
    } finally {
      if (server != null) {
        await(server.close().get());
      }
      seed.remove(os);
      if (issuer != null) {
        await(issuer.close());
      }
      await(vertx.close());
    }
  }

  /** npm ci (from package-lock.json) when node_modules is missing; .ci/run normally did it already. */
  private static void ensureNodeModules() throws Exception {
    if (Files.isDirectory(uiTestDir.resolve("node_modules/playwright-core"))) {
      return;
    }
    List<String> output = new ArrayList<>();
    int exit = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), uiTestDir, Duration.ofMinutes(5), output);
    assertThat(exit).as("npm ci in %s:%n%s", uiTestDir, String.join("\n", output)).isZero();
  }

  /** Runs a command, echoing every output line (stdout and stderr merged) to this test's output as it comes. */
  private static int run(List<String> command, Path dir, Duration timeout, List<String> output) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          System.out.println("[" + command.get(0) + "] " + line);
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (IOException e) {
        System.out.println("[" + command.get(0) + "] output closed: " + e);
      }
    }, "ui-test-output");
    pump.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      pump.join(5_000);
      throw new AssertionError(command + " did not finish within " + timeout + "; output:\n" + String.join("\n", output));
    }
    pump.join(10_000);
    return p.exitValue();
  }

  private static boolean commandWorks(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}

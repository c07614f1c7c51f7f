package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

/**
 * The running gateway reloads its policy file: a valid change takes effect, an invalid one keeps the old policy and
 * shows up in {@code /vigil/status} (failed reloads and the error naming the rule and field).
 */
class PolicyReloadTest {

  static final String READ_PAYMENTS = """
      defaultEffect: deny
      rules:
        - id: read-payments
          effect: allow
          verbs: [get, list]
          resources: [configmaps]
          namespaces: [payments]
      """;

  static final String READ_DEFAULT = READ_PAYMENTS.replace("read-payments", "read-default").replace("[payments]", "[default]");

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static Path policy;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    policy = dir.resolve("policy.yaml");
    Files.writeString(policy, READ_PAYMENTS, StandardCharsets.UTF_8);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.POLICY_FILE, policy.toString(),
        ProxyConfig.POLICY_RELOAD_INTERVAL, "100ms")), new InMemorySink());
    token = fx.mint("agent-reload");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void shouldKeepTheOldPolicyOnAnInvalidFileAndReportItThenApplyAValidOne() throws Exception {
    assertThat(status(s -> true).getLong("loads")).isEqualTo(1);
    assertThat(get("payments")).isEqualTo(200);
    assertThat(get("default")).isEqualTo(403);

    replace(READ_PAYMENTS.replace("effect: allow", "effect: permit"));
    JsonObject failed = status(s -> s.getLong("reloadFailures") == 1);
    assertThat(failed.getString("lastReloadError")).contains("rules[0]", "effect");
    assertThat(failed.getLong("loads")).isEqualTo(1);
    assertThat(get("payments")).as("the previous policy stays in force").isEqualTo(200);

    replace(READ_DEFAULT);
    JsonObject reloaded = status(s -> s.getLong("loads") == 2);
    assertThat(reloaded.getString("lastReloadError")).isNull();
    assertThat(reloaded.getLong("reloadFailures")).isEqualTo(1);
    assertThat(get("default")).isEqualTo(200);
    assertThat(get("payments")).isEqualTo(403);
  }

  /** Swaps the file atomically (as a ConfigMap volume update does), so the poller never reads a half-written one. */
  private static void replace(String content) throws Exception {
    Path next = Files.writeString(dir.resolve("policy.yaml.next"), content, StandardCharsets.UTF_8);
    Files.move(next, policy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static int get(String namespace) throws Exception {
    return await(fx.client().get("/api/v1/namespaces/" + namespace + "/configmaps")
        .putHeader("Authorization", "Bearer " + token).send()).statusCode();
  }

  /** The policy part of /vigil/status once {@code until} holds (or the last one seen after 10 s). */
  private static JsonObject status(Predicate<JsonObject> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject policyStatus;
    do {
      policyStatus = await(fx.client().get("/vigil/status").send()).bodyAsJsonObject().getJsonObject("policy");
      if (until.test(policyStatus)) {
        return policyStatus;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return policyStatus;
  }
}

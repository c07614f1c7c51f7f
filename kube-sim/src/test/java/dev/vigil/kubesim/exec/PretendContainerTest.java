package dev.vigil.kubesim.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.DemoSeed;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceRegistry;
import dev.vigil.kubesim.store.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PretendContainerTest {

  private static PretendContainer demoApi() {
    ObjectStore store = new ObjectStore(ResourceRegistry.builtin(), true);
    DemoSeed.apply(store);
    ObjectNode pod = store.list("pods", "payments").stream().filter(Selector.labels("app=payments-api")::matches)
        .findFirst().orElseThrow();
    return PretendContainer.of(store, pod, "api");
  }

  private static String file(PretendContainer c, String path) {
    return new String(c.fs().read(path).orElseThrow(() -> new AssertionError("no " + path)), StandardCharsets.UTF_8);
  }

  @Test
  void shouldResolveTheEnvironmentLikeKubelet() {
    PretendContainer c = demoApi();
    assertThat(c.env()).containsEntry("DB_HOST", "payments-db.payments.svc")
        .containsEntry("DB_PASSWORD", "s3cr3t-p@ssw0rd")
        .containsEntry("LOG_LEVEL", "info")
        .containsEntry("POD_NAME", c.pod())
        .containsEntry("HOSTNAME", c.pod())
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
        .containsKey("PAYMENTS_API_SERVICE_HOST")
        .containsEntry("PAYMENTS_API_SERVICE_PORT", "80");
    assertThat(c.env().keySet()).startsWith("PATH", "HOSTNAME");
  }

  @Test
  void shouldMountConfigMapsSecretsAndAFakeServiceAccountToken() {
    PretendContainer c = demoApi();
    assertThat(file(c, "/app/config/application.yaml")).contains("port: 8080");
    assertThat(file(c, "/app/config/LOG_LEVEL")).isEqualTo("info");
    assertThat(file(c, "/var/run/secrets/payments-db/username")).isEqualTo("payments");
    assertThat(file(c, "/etc/hostname")).isEqualTo(c.pod() + "\n");
    assertThat(file(c, "/app/config.yaml")).contains("app: api", "namespace: payments");
    String token = file(c, ContainerFiles.SA_DIR + "/token");
    assertThat(token).contains("FAKE").endsWith(".FAKE-kube-sim-token-not-a-real-credential");
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("system:serviceaccount:payments:payments-api", "FAKE token from kube-sim");
    assertThat(file(c, ContainerFiles.SA_DIR + "/namespace")).isEqualTo("payments");
    assertThat(c.fs().list("/")).contains("app", "bin", "etc", "tmp", "var");
    assertThat(c.fs().list("/bin")).contains("sh", "ls", "cat");
  }

  @Test
  void shouldNormalizePaths() {
    assertThat(PretendFs.normalize("/app", "../etc//hosts")).isEqualTo("/etc/hosts");
    assertThat(PretendFs.normalize("/", "../../..")).isEqualTo("/");
    assertThat(PretendFs.normalize("/a/b", "./c")).isEqualTo("/a/b/c");
  }
}

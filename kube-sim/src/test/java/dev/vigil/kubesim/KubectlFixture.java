package dev.vigil.kubesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.Selector;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the kubectl ITs: kube-sim over TLS (dev CA) with a bearer token, seeded. */
abstract class KubectlFixture {

  static final String TOKEN = "gateway-held-token";
  static String POD;

  @TempDir
  static Path dir;

  static Vertx vertx;
  static KubeSim sim;
  static String caPem;
  static Kubectl kubectl;

  @BeforeAll
  static void start() {
    assumeTrue(Kubectl.available(), "kubectl not installed");
    DevPki pki = DevPki.create("kube-sim-test-ca");
    IssuedCert cert = pki.issueServer("kube-sim", List.of("localhost"), List.of("127.0.0.1"));
    caPem = pki.caCertPem();
    vertx = Vertx.vertx();
    sim = KubeSim.start(vertx, new KubeSimOptions().setKeyCert(cert.pemKeyCertOptions()).addToken(TOKEN)
        .setLogFollowInterval(Duration.ofMillis(200))).await();
    sim.seedDemo();
    POD = firstPod(sim, "payments", "app=payments-api");
    kubectl = new Kubectl(dir, sim.url(), caPem, TOKEN);
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static String firstPod(KubeSim kubeSim, String namespace, String labelSelector) {
    Selector selector = Selector.labels(labelSelector);
    return kubeSim.store().list("pods", namespace).stream().filter(selector::matches)
        .map(p -> p.path("metadata").path("name").asText()).findFirst().orElseThrow();
  }

  static ObjectStore store() {
    return sim.store();
  }
}

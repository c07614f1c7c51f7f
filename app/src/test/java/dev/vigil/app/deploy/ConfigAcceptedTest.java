package dev.vigil.app.deploy;

import static dev.vigil.app.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.vigil.common.Settings;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.query.QueryApiConfig;
import dev.vigil.streams.StreamsSettings;
import dev.vigil.streams.notify.NotifierSettings;

/**
 * The environment each deployment gives a service is accepted by that service's config class (the same validation
 * the service runs at start), with every mounted file replaced by a stand-in in a temporary directory. Catches a
 * misspelt value, a missing required key, an invalid combination (e.g. a non-loopback host without TLS).
 */
class ConfigAcceptedTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"compose", "dev", "production"})
  void everyServiceAcceptsItsConfiguration(String deployment) throws Exception {
    for (String service : K8sManifestsTest.SERVICES) {
      Map<String, String> env = environment(deployment, service);
      Settings s = Settings.load(null, withStandIns(env), Map.of());
      switch (service) {
        case "proxy" -> assertThat(ProxyConfig.from(s).port()).isPositive();
        case "indexer" -> assertThat(IndexerConfig.from(s)).isNotNull();
        case "query-api" -> assertThat(QueryApiConfig.from(s).port()).isPositive();
        default -> {
          assertThat(StreamsSettings.from(s)).isNotNull();
          // as Services.startStreamProcessors does: the notifier's bootstrap servers default to the processors'
          NotifierSettings.from(s.withDefaults(Map.of("vigil.streams.notify.kafka.bootstrap.servers",
              s.get(StreamsSettings.KAFKA_PREFIX + "bootstrap.servers", ""))));
        }
      }
    }
  }

  private Map<String, String> environment(String deployment, String service) {
    if (deployment.equals("compose")) {
      Map<String, Object> env = map(DeployFiles.yaml(DeployFiles.read("docker-compose.yml")), "services", service, "environment");
      Map<String, String> out = new LinkedHashMap<>();
      env.forEach((k, v) -> out.put(k, String.valueOf(v)));
      return out;
    }
    List<Map<String, Object>> objects = K8sManifestsTest.render("k8s/overlays/" + deployment);
    Map<String, String> env = K8sManifestsTest.env(objects,
        K8sManifestsTest.container(K8sManifestsTest.named(objects, "Deployment", "vigil-" + service)));
    env.replaceAll((k, v) -> v.equals("<secret>") ? "placeholder-from-a-secret" : v);
    if (service.equals("proxy")) {
      // the kubelet mounts the service account's token (automountServiceAccountToken: true) where ProxyConfig looks
      assertThat(env).doesNotContainKey("VIGIL_PROXY_UPSTREAM_KUBECONFIG");
      env.put("VIGIL_PROXY_UPSTREAM_SERVICE__ACCOUNT__DIR", "/etc/vigil/kubelet-sa");
    }
    return env;
  }

  /** Values naming files under /etc/vigil/ point at stand-ins (a real Ed25519 public key where one is parsed). */
  private Map<String, String> withStandIns(Map<String, String> env) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String v = e.getValue();
      if (v.startsWith("/etc/vigil/")) {
        Path f = tmp.resolve(v.substring(1));
        Files.createDirectories(f.getParent());
        if (e.getKey().endsWith("_DIR")) {
          Files.createDirectories(f);
          Files.writeString(f.resolve("token"), "x"); // as the kubelet's projected service account volume
        } else if (!Files.exists(f)) {
          Files.writeString(f, Settings.envToKey(e.getKey()).startsWith("vigil.query.signing.public-keys.") ? publicKeyPem() : "x");
        }
        v = f.toString();
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  private static String publicKeyPem() throws Exception {
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
  }
}

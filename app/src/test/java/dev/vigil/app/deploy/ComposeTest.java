package dev.vigil.app.deploy;

import static dev.vigil.app.deploy.DeployFiles.list;
import static dev.vigil.app.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.app.config.ConfigKeys;
import dev.vigil.common.Settings;
import dev.vigil.query.QueryApiConfig;
import dev.vigil.schema.Topics;

/** docker-compose.yml and its Dex configuration, parsed and checked against the code. */
class ComposeTest {

  static final List<String> VIGIL = List.of("proxy", "stream-processors", "indexer", "query-api");
  private final Map<String, Object> compose = DeployFiles.yaml(DeployFiles.read("docker-compose.yml"));
  private final Map<String, Object> services = map(compose, "services");

  private Map<String, Object> service(String name) {
    Map<String, Object> s = map(services, name);
    assertThat(s).as("service %s", name).isNotNull();
    return s;
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> env(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    Object e = service(name).get("environment");
    if (e != null) {
      ((Map<String, Object>) e).forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }

  @Test
  void everyServiceIsThereWithAHealthCheckAndPinnedImage() {
    assertThat(services).containsOnlyKeys("kafka", "kafka-topics", "opensearch", "opensearch-dashboards", "dex",
        "proxy", "stream-processors", "indexer", "query-api");
    services.forEach((name, s) -> {
      String image = (String) map(s).get("image");
      assertThat(image).as("image of %s", name).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
      if (!name.equals("kafka-topics")) {
        assertThat(map(s, "healthcheck")).as("health check of %s", name).containsKey("test");
      }
    });
    assertThat(service("kafka").get("image")).isEqualTo(service("kafka-topics").get("image"));
    assertThat((String) service("kafka").get("image")).startsWith("apache/kafka:");
    assertThat((String) service("opensearch").get("image")).startsWith("opensearchproject/opensearch:");
    assertThat((String) service("opensearch-dashboards").get("image")).startsWith("opensearchproject/opensearch-dashboards:");
    assertThat((String) service("dex").get("image")).startsWith("ghcr.io/dexidp/dex:v");
    assertThat(map(compose, "volumes")).containsKeys("kafka-data", "opensearch-data", "streams-state");
  }

  @Test
  void kafkaRunsInKraftModeAndTheTopicsAreCreatedOnce() {
    Map<String, String> kafka = env("kafka");
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(kafka).containsKey("KAFKA_CONTROLLER_QUORUM_VOTERS").doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT")
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
    assertThat(list(service("kafka").get("volumes"))).anyMatch(v -> v.toString().startsWith("kafka-data:" + kafka.get("KAFKA_LOG_DIRS")));
    Map<String, Object> init = service("kafka-topics");
    assertThat(init.get("restart")).isEqualTo("no");
    assertThat(map(init, "depends_on", "kafka")).containsEntry("condition", "service_healthy");
    String script = String.join("\n", list(init.get("command")).stream().map(String::valueOf).toList());
    for (String topic : List.of(Topics.EVENTS, Topics.SESSIONS, Topics.ALERTS, Topics.DLQ)) {
      assertThat(script).contains("--create --topic " + topic + " ");
    }
    assertThat(script).containsPattern("--topic " + java.util.regex.Pattern.quote(Topics.SESSIONS) + " .*cleanup.policy=compact")
        .contains("--if-not-exists");
    for (String s : VIGIL) {
      if (!s.equals("query-api")) {
        assertThat(map(service(s), "depends_on", "kafka-topics")).containsEntry("condition", "service_completed_successfully");
      }
    }
  }

  @Test
  void vigilServicesRunTheImageLockedDown() {
    for (String s : VIGIL) {
      Map<String, Object> svc = service(s);
      assertThat(svc.get("image")).isEqualTo("vigil:dev");
      assertThat(svc.get("build")).isEqualTo(".");
      assertThat(svc.get("command")).isEqualTo(List.of(s));
      assertThat(svc.get("read_only")).isEqualTo(true);
      assertThat(svc.get("user")).isEqualTo("10001:10001");
      assertThat(svc.get("cap_drop")).isEqualTo(List.of("ALL"));
      assertThat(svc.get("security_opt")).isEqualTo(List.of("no-new-privileges:true"));
      assertThat(svc.get("tmpfs")).isEqualTo(List.of("/tmp"));
      assertThat(list(svc.get("volumes"))).contains("./deploy/compose/secrets:/etc/vigil/secrets:ro");
    }
    assertThat(list(service("stream-processors").get("volumes")))
        .contains("streams-state:" + env("stream-processors").get("VIGIL_STREAMS_KAFKA_STATE_DIR"));
  }

  @Test
  void everyVigilVariableIsAKeyTheCodeKnowsAndSecretsAreFiles() {
    int n = 0;
    for (String s : VIGIL) {
      for (Map.Entry<String, String> e : env(s).entrySet()) {
        assertThat(e.getKey()).startsWith("VIGIL_");
        if (DeployFiles.LAUNCHER_VARIABLES.contains(e.getKey())) {
          continue;
        }
        n++;
        String key = Settings.envToKey(e.getKey());
        assertThat(ConfigKeys.isKnown(key)).as("%s (%s) of %s is a key the code knows", e.getKey(), key, s).isTrue();
        assertThat(key).as("%s belongs to %s", key, s).startsWith(prefix(s));
        if (Settings.isSecretKey(key) || key.endsWith("-file") || key.startsWith("vigil.query.signing.public-keys.")) {
          assertThat(e.getValue()).as("%s is a mounted file, not a value", e.getKey()).startsWith("/etc/vigil/secrets/");
        }
      }
    }
    assertThat(n).isGreaterThan(20);
  }

  private static String prefix(String service) {
    return switch (service) {
      case "proxy" -> "vigil.proxy.";
      case "stream-processors" -> "vigil.streams.";
      case "indexer" -> "vigil.indexer.";
      default -> "vigil.query.";
    };
  }

  @Test
  void portsAndHealthChecksAgreeWithTheCodeAndTheEndpointsFile() {
    int proxyPort = ServiceDefaults.proxyPort();
    int queryPort = ServiceDefaults.queryApiPort();
    assertThat(env("proxy")).containsEntry("VIGIL_PROXY_PORT", String.valueOf(proxyPort)).containsEntry("VIGIL_PROXY_HOST", "0.0.0.0");
    assertThat(env("query-api")).containsEntry("VIGIL_QUERY_PORT", String.valueOf(queryPort)).containsEntry("VIGIL_QUERY_HOST", "0.0.0.0");
    assertThat(list(service("proxy").get("ports"))).containsExactly("127.0.0.1:" + proxyPort + ":" + proxyPort);
    assertThat(list(service("query-api").get("ports"))).containsExactly("127.0.0.1:" + queryPort + ":" + queryPort);
    assertThat(String.valueOf(proxyPort)).isEqualTo(DeployFiles.endpoint("proxy-port"));
    assertThat(String.valueOf(queryPort)).isEqualTo(DeployFiles.endpoint("query-api-port"));
    assertThat(health("proxy")).contains("/dev/tcp/127.0.0.1/" + proxyPort);
    assertThat(health("query-api")).contains("/dev/tcp/127.0.0.1/" + queryPort)
        .contains("GET " + DeployFiles.endpoint("query-api-readiness") + " ");
    for (String s : List.of("indexer", "stream-processors")) {
      assertThat(health(s)).contains("/dev/tcp/127.0.0.1/" + DeployFiles.endpoint(s + "-management-port"))
          .contains("GET " + DeployFiles.endpoint(s + "-readiness") + " ");
    }
  }

  private String health(String service) {
    return String.join(" ", list(map(service(service), "healthcheck").get("test")).stream().map(String::valueOf).toList());
  }

  @Test
  void dexDeclaresTheClientAndAnAnalystTheServicesExpect() {
    Map<String, Object> dex = DeployFiles.yaml(DeployFiles.read("deploy/compose/dex.yaml"));
    String issuer = (String) dex.get("issuer");
    assertThat(issuer).startsWith("https://");
    assertThat(env("proxy")).containsEntry("VIGIL_PROXY_OIDC_ISSUER", issuer);
    assertThat(env("query-api")).containsEntry("VIGIL_QUERY_OIDC_ISSUER", issuer);
    // the ID token's audience is the client id
    assertThat(list(dex.get("staticClients"))).extracting(c -> map(c).get("id"))
        .contains(env("proxy").get("VIGIL_PROXY_OIDC_AUDIENCE"), QueryApiConfig.DEFAULT_AUDIENCE);
    assertThat(list(dex.get("staticPasswords"))).anyMatch(u -> list(map(u).get("groups"))
        .contains(QueryApiConfig.DEFAULT_ANALYST_GROUP));
    assertThat(env("query-api").get("VIGIL_QUERY_ANALYST__GROUP")).isEqualTo(QueryApiConfig.DEFAULT_ANALYST_GROUP);
    // placeholders only
    list(dex.get("staticClients")).forEach(c -> assertThat((String) map(c).get("secret")).startsWith("PLACEHOLDER-"));
    assertThat(list(map(service("dex")).get("volumes"))).contains("./deploy/compose/dex.yaml:/etc/dex/config.yaml:ro");
    assertThat(DeployFiles.read(".gitignore")).contains("deploy/compose/secrets/");
  }
}

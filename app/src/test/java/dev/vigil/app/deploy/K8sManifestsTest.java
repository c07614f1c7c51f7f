package dev.vigil.app.deploy;

import static dev.vigil.app.deploy.DeployFiles.list;
import static dev.vigil.app.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.vigil.app.config.ConfigKeys;
import dev.vigil.common.Settings;
import dev.vigil.schema.Topics;

/**
 * Renders k8s/overlays/{dev,production} and k8s/agent-egress with {@code kubectl kustomize} (offline) and checks the
 * rendered objects.
 */
class K8sManifestsTest {

  static final List<String> SERVICES = List.of("proxy", "stream-processors", "indexer", "query-api");
  private static final Map<String, List<Map<String, Object>>> RENDERED = new HashMap<>();

  static synchronized List<Map<String, Object>> render(String dir) {
    return RENDERED.computeIfAbsent(dir, d -> {
      try {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Process p = new ProcessBuilder("kubectl", "kustomize", DeployFiles.repo().resolve(d).toString())
            .redirectErrorStream(false).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize %s: %s", d, err).isZero();
        return DeployFiles.yamlAll(Files.readString(out));
      } catch (IOException e) {
        throw new AssertionError("kubectl is required for this test", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });
  }

  static List<Map<String, Object>> kind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  static Map<String, Object> named(List<Map<String, Object>> objects, String kind, String name) {
    return kind(objects, kind).stream().filter(o -> name.equals(map(o, "metadata").get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static Map<String, Object> container(Map<String, Object> deployment) {
    List<Object> cs = list(map(deployment, "spec", "template", "spec").get("containers"));
    assertThat(cs).hasSize(1);
    return map(cs.get(0));
  }

  static String namespace(String overlay) {
    return overlay.equals("dev") ? "vigil-dev" : "vigil";
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyServiceHasADeploymentServiceAndPdb(String overlay) {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    assertThat(kind(objects, "Deployment")).extracting(d -> map(d, "metadata").get("name"))
        .containsExactlyInAnyOrder("vigil-proxy", "vigil-stream-processors", "vigil-indexer", "vigil-query-api");
    for (String s : SERVICES) {
      Map<String, Object> d = named(objects, "Deployment", "vigil-" + s);
      assertThat(map(d, "metadata").get("namespace")).isEqualTo(namespace(overlay));
      assertThat(container(d).get("args")).isEqualTo(List.of(s));
      Map<String, Object> pdb = named(objects, "PodDisruptionBudget", "vigil-" + s);
      assertThat(map(pdb, "spec", "selector", "matchLabels"))
          .isEqualTo(map(d, "spec", "selector", "matchLabels"));
      assertThat(map(pdb, "spec").get("maxUnavailable")).isEqualTo(1);
      assertThat(map(named(objects, "Service", "vigil-" + s), "spec", "selector"))
          .isEqualTo(map(d, "spec", "selector", "matchLabels"));
    }
    assertThat(kind(objects, "StatefulSet")).as("Kafka and OpenSearch come from their operators").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyContainerIsLockedDown(String overlay) {
    for (Map<String, Object> d : kind(render("k8s/overlays/" + overlay), "Deployment")) {
      Map<String, Object> pod = map(d, "spec", "template", "spec");
      assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true)
          .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
      assertThat(list(pod.get("initContainers"))).isEmpty();
      for (Object c : list(pod.get("containers"))) {
        Map<String, Object> sc = map(c, "securityContext");
        assertThat(sc).as("securityContext of %s", map(d, "metadata").get("name"))
            .containsEntry("runAsNonRoot", true)
            .containsEntry("allowPrivilegeEscalation", false)
            .containsEntry("readOnlyRootFilesystem", true)
            .containsEntry("privileged", false)
            .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"))
            .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        // the image's writable places (VOLUME /tmp, /var/lib/vigil) are volumes
        assertThat(list(map(c).get("volumeMounts"))).extracting(m -> map(m).get("mountPath"))
            .contains("/tmp", "/var/lib/vigil");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void probesUseTheEndpointsWrittenDownOnce(String overlay) {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    for (String s : SERVICES) {
      Map<String, Object> c = container(named(objects, "Deployment", "vigil-" + s));
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String which = probe.equals("readinessProbe") ? "readiness" : "liveness";
        Map<String, Object> get = map(c, probe, "httpGet");
        assertThat(get).as("%s of %s", probe, s).isNotNull();
        assertThat(get.get("path")).as("%s of %s", probe, s).isEqualTo(DeployFiles.endpoint(s + "-" + which));
        // the probe's named port is one of the container's ports, with the number written in endpoints.yaml
        String portKey = s.equals("proxy") || s.equals("query-api") ? s + "-port" : s + "-management-port";
        assertThat(containerPort(c, (String) get.get("port"))).as("%s port of %s", probe, s)
            .isEqualTo(Integer.parseInt(DeployFiles.endpoint(portKey)));
      }
      assertThat(map(c, "readinessProbe", "httpGet").get("scheme"))
          .isEqualTo(s.equals("proxy") || s.equals("query-api") ? "HTTPS" : "HTTP");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void containerPortsAgreeWithTheConfigClassesAndTheConfigMaps(String overlay) {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    Map<String, Object> proxy = container(named(objects, "Deployment", "vigil-proxy"));
    Map<String, Object> query = container(named(objects, "Deployment", "vigil-query-api"));
    assertThat(containerPort(proxy, "https")).isEqualTo(ServiceDefaults.proxyPort())
        .isEqualTo(Integer.parseInt(DeployFiles.endpoint("proxy-port")));
    assertThat(containerPort(query, "http")).isEqualTo(ServiceDefaults.queryApiPort())
        .isEqualTo(Integer.parseInt(DeployFiles.endpoint("query-api-port")));
    // where a port is set explicitly, it is the container's port
    assertThat(env(objects, proxy)).containsEntry("VIGIL_PROXY_PORT", String.valueOf(ServiceDefaults.proxyPort()));
    assertThat(env(objects, query)).containsEntry("VIGIL_QUERY_PORT", String.valueOf(ServiceDefaults.queryApiPort()));
    // a service listening on 127.0.0.1 (the default) would fail every probe
    assertThat(env(objects, proxy)).containsEntry("VIGIL_PROXY_HOST", "0.0.0.0");
    assertThat(env(objects, query)).containsEntry("VIGIL_QUERY_HOST", "0.0.0.0");
    for (String s : SERVICES) {
      assertThat(containerPort(container(named(objects, "Deployment", "vigil-" + s)), "management"))
          .isEqualTo(Integer.parseInt(DeployFiles.endpoint(
              s.equals("proxy") || s.equals("query-api") ? "indexer-management-port" : s + "-management-port")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void everyVigilVariableIsAKeyTheCodeKnowsAndFilesAreMounted(String overlay) {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    for (Map<String, Object> d : kind(objects, "Deployment")) {
      Map<String, Object> c = container(d);
      Map<String, String> env = env(objects, c);
      assertThat(env).isNotEmpty();
      Set<String> mounts = new TreeSet<>();
      list(c.get("volumeMounts")).forEach(m -> mounts.add((String) map(m).get("mountPath")));
      env.forEach((name, value) -> {
        assertThat(name).startsWith("VIGIL_");
        if (DeployFiles.LAUNCHER_VARIABLES.contains(name)) {
          return;
        }
        String key = Settings.envToKey(name);
        assertThat(ConfigKeys.isKnown(key)).as("%s (%s) in %s is a key the code knows", name, key,
            map(d, "metadata").get("name")).isTrue();
        if (key.endsWith("-file") || key.startsWith("vigil.query.signing.public-keys.")) {
          assertThat(mounts).as("%s=%s is on a mounted volume", name, value)
              .anyMatch(m -> value.startsWith(m + "/"));
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void resourcesAreRequestedAndLimited(String overlay) {
    for (Map<String, Object> d : kind(render("k8s/overlays/" + overlay), "Deployment")) {
      Map<String, Object> r = map(container(d), "resources");
      assertThat(map(r, "requests")).containsKeys("cpu", "memory");
      assertThat(map(r, "limits")).containsKeys("cpu", "memory");
    }
  }

  @Test
  void proxyHasAnHpa() {
    for (String overlay : List.of("dev", "production")) {
      List<Map<String, Object>> hpas = kind(render("k8s/overlays/" + overlay), "HorizontalPodAutoscaler");
      assertThat(hpas).hasSize(1);
      Map<String, Object> spec = map(hpas.get(0), "spec");
      assertThat(map(spec, "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", "vigil-proxy");
      assertThat((Integer) spec.get("minReplicas")).isLessThanOrEqualTo((Integer) spec.get("maxReplicas"));
      assertThat(hpas.get(0).get("apiVersion")).isEqualTo("autoscaling/v2");
    }
    assertThat(map(kind(render("k8s/overlays/production"), "HorizontalPodAutoscaler").get(0), "spec").get("minReplicas"))
        .isEqualTo(3);
    // the LLM guardrail's per-session Secret fingerprints are per replica: one agent pod sticks to one replica
    assertThat(map(named(render("k8s/overlays/production"), "Service", "vigil-proxy"), "spec"))
        .containsEntry("sessionAffinity", "ClientIP");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void gatewayRbacIsExactlyImpersonationTokenRequestAndNamespaceReads(String overlay) throws Exception {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    // the extra key the gateway impersonates, read from the code
    java.lang.reflect.Field f = Class.forName("dev.vigil.proxy.impl.HeaderPolicy").getDeclaredField("SESSION_EXTRA_KEY");
    f.setAccessible(true);
    String extraKey = (String) f.get(null);
    assertThat(rules(named(objects, "ClusterRole", "vigil-gateway"))).containsExactlyInAnyOrder(
        "|users|impersonate|", "|groups|impersonate|", "|serviceaccounts|impersonate|",
        "authentication.k8s.io|userextras/" + extraKey + "|impersonate|",
        "|namespaces|get|");
    assertThat(rules(named(objects, "Role", "vigil-gateway-token-request")))
        .containsExactly("|serviceaccounts/token|create|vigil-gateway");
    assertThat(kind(objects, "ClusterRole")).hasSize(1);
    assertThat(kind(objects, "Role")).hasSize(1);
    for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (Map<String, Object> b : kind(objects, binding)) {
        assertThat(list(b.get("subjects"))).containsExactly(
            Map.of("kind", "ServiceAccount", "name", "vigil-gateway", "namespace", namespace(overlay)));
      }
    }
    // TokenRequest is for the gateway's own service account
    Map<String, String> proxyEnv = env(objects, container(named(objects, "Deployment", "vigil-proxy")));
    assertThat(proxyEnv).containsEntry("VIGIL_PROXY_UPSTREAM_TOKEN__REQUEST_SERVICE__ACCOUNT",
        namespace(overlay) + "/vigil-gateway");
    for (Map<String, Object> d : kind(objects, "Deployment")) {
      Map<String, Object> pod = map(d, "spec", "template", "spec");
      boolean proxy = map(d, "metadata").get("name").equals("vigil-proxy");
      assertThat(pod.get("serviceAccountName")).isEqualTo(proxy ? "vigil-gateway" : "vigil-workload");
      assertThat(pod.get("automountServiceAccountToken")).isEqualTo(proxy);
    }
  }

  /** Each rule flattened per resource: apiGroup|resource|verbs|resourceNames. */
  static List<String> rules(Map<String, Object> role) {
    List<String> out = new ArrayList<>();
    for (Object r : list(role.get("rules"))) {
      Map<String, Object> rule = map(r);
      List<Object> groups = list(rule.get("apiGroups"));
      assertThat(groups).hasSize(1);
      for (Object res : list(rule.get("resources"))) {
        out.add(groups.get(0) + "|" + res + "|" + String.join(",", list(rule.get("verbs")).stream().map(String::valueOf).toList())
            + "|" + String.join(",", list(rule.get("resourceNames")).stream().map(String::valueOf).toList()));
      }
    }
    return out;
  }

  @Test
  void agentsReachOnlyTheGatewayAndDns() {
    List<Map<String, Object>> objects = render("k8s/agent-egress");
    assertThat(objects).hasSize(1);
    Map<String, Object> np = objects.get(0);
    assertThat(np.get("kind")).isEqualTo("NetworkPolicy");
    Map<String, Object> spec = map(np, "spec");
    assertThat(map(spec, "podSelector", "matchLabels")).isEqualTo(Map.of("vigil.dev/agent", "true"));
    assertThat(spec.get("policyTypes")).isEqualTo(List.of("Egress"));
    assertThat(spec).doesNotContainKey("ingress");
    List<Object> egress = list(spec.get("egress"));
    assertThat(egress).hasSize(2);
    Map<String, Object> toProxy = map(list(map(egress.get(0)).get("to")).get(0));
    assertThat(map(toProxy, "podSelector", "matchLabels")).isEqualTo(Map.of("app.kubernetes.io/name", "vigil-proxy"));
    assertThat(map(toProxy, "namespaceSelector", "matchLabels")).isEqualTo(Map.of("vigil.dev/gateway-namespace", "true"));
    assertThat(list(map(egress.get(0)).get("ports"))).containsExactly(
        Map.of("protocol", "TCP", "port", ServiceDefaults.proxyPort()));
    Map<String, Object> dns = map(list(map(egress.get(1)).get("to")).get(0));
    assertThat(map(dns, "namespaceSelector", "matchLabels")).isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system"));
    assertThat(list(map(egress.get(1)).get("ports"))).extracting(p -> map(p).get("port")).containsOnly(53);
    // no IP range is allowed at all: the API server is reachable by IP only, and no rule lets IPs through
    assertThat(DeployFiles.read("k8s/agent-egress/agent-egress.yaml")).doesNotContain("ipBlock:")
        .contains("must list the API server's addresses in `except`");
    // in Vigil's namespace, the gateway accepts callers on its HTTPS port only (plus metrics from the namespace)
    Map<String, Object> ingress = named(render("k8s/overlays/production"), "NetworkPolicy", "vigil-proxy-ingress");
    assertThat(map(ingress, "spec", "podSelector", "matchLabels")).isEqualTo(Map.of("app.kubernetes.io/name", "vigil-proxy"));
    assertThat(list(map(ingress, "spec").get("ingress"))).extracting(r -> list(map(r).get("ports")))
        .containsExactly(List.of(Map.of("protocol", "TCP", "port", ServiceDefaults.proxyPort())),
            List.of(Map.of("protocol", "TCP", "port", Integer.parseInt(DeployFiles.endpoint("indexer-management-port")))));
    // the gateway's namespace carries the label the policy selects, and the proxy pods the podSelector's label
    for (String overlay : List.of("dev", "production")) {
      List<Map<String, Object>> o = render("k8s/overlays/" + overlay);
      assertThat(map(named(o, "Namespace", namespace(overlay)), "metadata", "labels"))
          .containsEntry("vigil.dev/gateway-namespace", "true")
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
      assertThat(map(named(o, "Deployment", "vigil-proxy"), "spec", "template", "metadata", "labels"))
          .containsEntry("app.kubernetes.io/name", "vigil-proxy");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void kafkaAndOpenSearchComeFromTheirOperators(String overlay) {
    List<Map<String, Object>> objects = render("k8s/overlays/" + overlay);
    Map<String, Object> kafka = named(objects, "Kafka", "vigil-kafka");
    assertThat(kafka.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
    assertThat(map(kafka, "metadata", "annotations")).containsEntry("strimzi.io/kraft", "enabled")
        .containsEntry("strimzi.io/node-pools", "enabled");
    assertThat(map(kafka, "spec")).doesNotContainKey("zookeeper");
    List<Map<String, Object>> pools = kind(objects, "KafkaNodePool");
    assertThat(pools).extracting(p -> map(p, "spec").get("roles"))
        .containsExactlyInAnyOrder(List.of("controller"), List.of("broker"));
    pools.forEach(p -> assertThat(map(p, "metadata", "labels")).containsEntry("strimzi.io/cluster", "vigil-kafka"));
    Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
    kind(objects, "KafkaTopic").forEach(t -> topics.put((String) map(t, "metadata").get("name"), map(t, "spec")));
    assertThat(topics.keySet()).containsExactlyInAnyOrder(Topics.EVENTS, Topics.SESSIONS, Topics.ALERTS, Topics.DLQ);
    assertThat(map(topics.get(Topics.SESSIONS), "config")).containsEntry("cleanup.policy", "compact");
    int brokers = (Integer) map(pools.stream().filter(p -> map(p, "spec").get("roles").equals(List.of("broker")))
        .findFirst().orElseThrow(), "spec").get("replicas");
    topics.values().forEach(t -> assertThat((Integer) t.get("replicas")).isLessThanOrEqualTo(brokers));
    if (overlay.equals("production")) {
      assertThat(brokers).isEqualTo(3);
      topics.values().forEach(t -> assertThat(t.get("replicas")).isEqualTo(3));
    }
    Map<String, Object> os = named(objects, "OpenSearchCluster", "vigil-opensearch");
    assertThat(os.get("apiVersion")).isEqualTo("opensearch.opster.io/v1");
    assertThat(map(os, "spec", "dashboards")).containsEntry("enable", true);
    // the services point at the operators' Services
    String bootstrap = "vigil-kafka-kafka-bootstrap:9092";
    String openSearch = "https://" + map(os, "spec", "general").get("serviceName") + ":" + map(os, "spec", "general").get("httpPort");
    Map<String, String> all = new HashMap<>();
    kind(objects, "Deployment").forEach(d -> all.putAll(env(objects, container(d))));
    assertThat(all).containsEntry("VIGIL_PROXY_KAFKA_PRODUCER_BOOTSTRAP_SERVERS", bootstrap)
        .containsEntry("VIGIL_STREAMS_KAFKA_BOOTSTRAP_SERVERS", bootstrap)
        .containsEntry("VIGIL_INDEXER_KAFKA_CONSUMER_BOOTSTRAP_SERVERS", bootstrap)
        .containsEntry("VIGIL_INDEXER_OPENSEARCH_URL", openSearch)
        .containsEntry("VIGIL_QUERY_OPENSEARCH_URL", openSearch);
  }

  @Test
  void devGeneratesPlaceholderSecretsProductionReferencesExternalOnes() {
    List<Map<String, Object>> dev = render("k8s/overlays/dev");
    List<Map<String, Object>> prod = render("k8s/overlays/production");
    Set<String> expected = Set.of("vigil-proxy-tls", "vigil-query-api-tls", "vigil-masking-key", "vigil-signing-key",
        "vigil-signing-public-keys", "vigil-opensearch-credentials");
    assertThat(kind(prod, "Secret")).as("production secrets are managed outside the repository").isEmpty();
    assertThat(secretReferences(prod)).isEqualTo(expected);
    String prodKustomization = DeployFiles.read("k8s/overlays/production/kustomization.yaml");
    expected.forEach(s -> assertThat(prodKustomization).as("production documents Secret %s", s).contains("#   " + s + " "));
    List<Map<String, Object>> devSecrets = kind(dev, "Secret");
    assertThat(devSecrets).hasSize(expected.size());
    for (Map<String, Object> s : devSecrets) {
      map(s, "data").values().forEach(v -> assertThat(new String(java.util.Base64.getDecoder().decode((String) v),
          StandardCharsets.UTF_8)).startsWith("PLACEHOLDER-"));
    }
    // dev's generated (hash-suffixed) names are what the Deployments reference
    Set<String> devNames = new TreeSet<>();
    devSecrets.forEach(s -> devNames.add((String) map(s, "metadata").get("name")));
    assertThat(secretReferences(dev)).isEqualTo(devNames);
  }

  static Set<String> secretReferences(List<Map<String, Object>> objects) {
    Set<String> out = new TreeSet<>();
    for (Map<String, Object> d : kind(objects, "Deployment")) {
      Map<String, Object> pod = map(d, "spec", "template", "spec");
      list(pod.get("volumes")).stream().map(v -> map(v, "secret")).filter(java.util.Objects::nonNull)
          .forEach(s -> out.add((String) s.get("secretName")));
      for (Object c : list(pod.get("containers"))) {
        list(map(c).get("env")).stream().map(e -> map(e, "valueFrom", "secretKeyRef")).filter(java.util.Objects::nonNull)
            .forEach(r -> out.add((String) r.get("name")));
        list(map(c).get("envFrom")).stream().map(e -> map(e, "secretRef")).filter(java.util.Objects::nonNull)
            .forEach(r -> out.add((String) r.get("name")));
      }
    }
    return out;
  }

  /** The container's environment: its ConfigMaps' data (envFrom) and literal env values (secretKeyRef: "<secret>"). */
  static Map<String, String> env(List<Map<String, Object>> objects, Map<String, Object> container) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Object ef : list(container.get("envFrom"))) {
      Map<String, Object> ref = map(ef, "configMapRef");
      if (ref != null) {
        map(named(objects, "ConfigMap", (String) ref.get("name")), "data").forEach((k, v) -> out.put(k, String.valueOf(v)));
      }
    }
    for (Object e : list(container.get("env"))) {
      Map<String, Object> m = map(e);
      out.put((String) m.get("name"), m.containsKey("value") ? String.valueOf(m.get("value")) : "<secret>");
    }
    return out;
  }

  static int containerPort(Map<String, Object> container, String name) {
    return list(container.get("ports")).stream().map(DeployFiles::map).filter(p -> name.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no port named " + name));
  }

  @Test
  void everyManifestFileParses() throws IOException {
    try (Stream<Path> files = Files.walk(DeployFiles.repo().resolve("k8s"))) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).hasSizeGreaterThan(10);
      for (Path p : yamls) {
        List<Map<String, Object>> docs = DeployFiles.yamlAll(Files.readString(p));
        assertThat(docs).as("%s", p).isNotEmpty();
        docs.forEach(d -> assertThat(d).as("%s", p).containsKey("apiVersion").containsKey("kind"));
      }
    }
  }
}

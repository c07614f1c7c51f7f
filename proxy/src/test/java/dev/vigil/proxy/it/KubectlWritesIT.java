package dev.vigil.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.embedded.junit.KafkaExtension;
import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.VigilEvent;

/**
 * The everyday kubectl verbs through the gateway with default client settings (protobuf create bodies, strategic
 * merge patches, client-side validation for apply), each asserted on what was recorded on a real Kafka broker: verb,
 * resource, namespace, name, status and the request body.
 */
@ExtendWith(KafkaExtension.class)
class KubectlWritesIT {

  static final String TOPIC = "vigil.events.writes-it";

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start(EmbeddedKafka broker) throws Exception {
    kafka = broker;
    kafka.createTopic(TOPIC, 1, Map.of());
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.KAFKA_PRODUCER_PREFIX + ".bootstrap.servers", kafka.bootstrapServers(),
        ProxyConfig.KAFKA_PRODUCER_PREFIX + ".linger.ms", "5", ProxyConfig.EVENTS_TOPIC, TOPIC)), null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** One recorded call: its request and its response. */
  record Call(KubernetesRequestInfo info, RequestReceived request, ResponseCompleted response) {}

  @Test
  void shouldRecordListAsYaml() throws Exception {
    String subject = "yaml-agent-" + System.nanoTime();
    KubectlRuns.Result r = run(subject, "get", "pods", "-n", "payments", "-o", "yaml");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("kind: List").contains("payments-api");

    Call list = call(subject, i -> "list".equals(i.getVerb()) && "pods".equals(i.getResource()));
    assertThat(list.info().getNamespace()).isEqualTo("payments");
    assertThat(list.response().getStatus()).isEqualTo(200);
    assertThat(list.response().getBody().getContent()).contains("payments-api");
  }

  @Test
  void shouldRecordAProtobufCreateAsReadableJson() throws Exception {
    String subject = "create-agent-" + System.nanoTime();
    String name = "it-cm-" + System.nanoTime();
    KubectlRuns.Result r = run(subject, "create", "configmap", name, "--from-literal=greeting=hello", "-n", "payments");
    assertThat(r.exit()).as(r.stderr()).isZero();

    Call create = call(subject, i -> "create".equals(i.getVerb()) && "configmaps".equals(i.getResource()));
    assertThat(create.info().getNamespace()).isEqualTo("payments");
    assertThat(create.response().getStatus()).isEqualTo(201);
    assertThat(create.request().getBody().getContentType()).startsWith("application/vnd.kubernetes.protobuf");
    assertThat(create.request().getBody().getEncoding()).isEqualTo(BodyEncoding.TEXT);
    assertThat(create.request().getBody().getContent()).contains("\"" + name + "\"").contains("\"greeting\":\"hello\"");
  }

  @Test
  void shouldRecordApplyWithDefaultValidationThenAStrategicMergePatch() throws Exception {
    String subject = "apply-agent-" + System.nanoTime();
    String name = "it-applied-" + System.nanoTime();
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: payments\n"
        + "data:\n  mode: first\n");
    KubectlRuns.Result first = run(subject, "apply", "-f", file.toString());
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(first.stdout()).contains("created");
    Files.writeString(file, Files.readString(file).replace("mode: first", "mode: second"));
    KubectlRuns.Result second = run(subject, "apply", "-f", file.toString());
    assertThat(second.exit()).as(second.stderr()).isZero();
    assertThat(second.stdout()).contains("configured");

    Call created = call(subject, i -> "create".equals(i.getVerb()) && "configmaps".equals(i.getResource()));
    assertThat(created.response().getStatus()).isEqualTo(201);
    Call patched = call(subject, i -> "patch".equals(i.getVerb()) && name.equals(i.getName()));
    assertThat(patched.info().getResource()).isEqualTo("configmaps");
    assertThat(patched.request().getBody().getContentType()).startsWith("application/strategic-merge-patch+json");
    assertThat(patched.request().getBody().getContent()).contains("second");
    assertThat(patched.response().getStatus()).isEqualTo(200);
  }

  @Test
  void shouldRecordPatchDeleteAndNotFound() throws Exception {
    String subject = "patch-agent-" + System.nanoTime();
    String name = "it-patched-" + System.nanoTime();
    assertThat(run(subject, "create", "configmap", name, "--from-literal=a=b", "-n", "default").exit()).isZero();
    KubectlRuns.Result patch = run(subject, "patch", "configmap", name, "-n", "default", "-p", "{\"data\":{\"c\":\"d\"}}");
    assertThat(patch.exit()).as(patch.stderr()).isZero();
    KubectlRuns.Result delete = run(subject, "delete", "configmap", name, "-n", "default");
    assertThat(delete.exit()).as(delete.stderr()).isZero();
    KubectlRuns.Result missing = run(subject, "get", "configmap", name, "-n", "default");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.stderr()).contains("not found");

    Call p = call(subject, i -> "patch".equals(i.getVerb()) && name.equals(i.getName()));
    assertThat(p.request().getBody().getContentType()).startsWith("application/strategic-merge-patch+json");
    assertThat(p.request().getBody().getContent()).contains("\"c\":\"d\"");
    assertThat(p.response().getStatus()).isEqualTo(200);
    Call d = call(subject, i -> "delete".equals(i.getVerb()) && name.equals(i.getName()));
    assertThat(d.info().getNamespace()).isEqualTo("default");
    assertThat(d.response().getStatus()).isEqualTo(200);
    // kubectl patch/delete read the object first (200); the last get is the one that found nothing.
    Call g = call(subject, i -> "get".equals(i.getVerb()) && name.equals(i.getName()), rc -> rc.getStatus() == 404);
    assertThat(g.info().getNamespace()).isEqualTo("default");
    assertThat(g.response().getStatus()).isEqualTo(404);
    assertThat(fx.kubeSim.store().list("configmaps", "default"))
        .noneMatch(cm -> name.equals(cm.path("metadata").path("name").asText()));
  }

  private static KubectlRuns.Result run(String subject, String... args) throws Exception {
    return KubectlRuns.run(dir, fx.writeClientKubeconfig(fx.mint(subject)), args);
  }

  /** The first call of the session matching {@code which}, once its response was recorded. */
  private static Call call(String session, Predicate<KubernetesRequestInfo> which) {
    return call(session, which, rc -> true);
  }

  private static Call call(String session, Predicate<KubernetesRequestInfo> which, Predicate<ResponseCompleted> outcome) {
    Predicate<VigilEvent> wanted = e -> e.getPayload() instanceof ResponseCompleted rc && matches(e, which) && outcome.test(rc);
    List<VigilEvent> events = KubectlRuns.consume(kafka.bootstrapServers(), TOPIC, session, wanted);
    VigilEvent done = events.stream().filter(wanted)
        .findFirst().orElseThrow(() -> new AssertionError("no recorded response for the call in " + events));
    String requestId = done.getRequest().getRequestId();
    RequestReceived rr = events.stream().filter(e -> e.getRequest().getRequestId().equals(requestId))
        .map(VigilEvent::getPayload).filter(RequestReceived.class::isInstance).map(RequestReceived.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no recorded request for " + requestId));
    return new Call(done.getRequest().getKubernetes(), rr, (ResponseCompleted) done.getPayload());
  }

  private static boolean matches(VigilEvent e, Predicate<KubernetesRequestInfo> which) {
    KubernetesRequestInfo i = e.getRequest().getKubernetes();
    return i != null && i.getResourceRequest() && which.test(i);
  }
}

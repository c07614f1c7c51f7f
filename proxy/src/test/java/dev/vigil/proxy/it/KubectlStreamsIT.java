package dev.vigil.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import dev.vigil.schema.Direction;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;

/**
 * Real kubectl streams through the gateway to kube-sim, every frame published to a real (embedded) Kafka broker:
 * {@code get -w} (WATCH frames with their event types), {@code logs -f} (LOGS frames), {@code exec} (EXEC frames per
 * channel, the channel-3 Status) and {@code exec -i} with piped stdin (channel 0 towards the upstream).
 */
@ExtendWith(KafkaExtension.class)
class KubectlStreamsIT {

  static final String TOPIC = "vigil.events.streams-it";

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

  private static String execPod() {
    return fx.kubeSim.store().list("pods", "payments").stream()
        .map(p -> p.path("metadata").path("name").asText())
        .filter(n -> n.startsWith("payments-api")).findFirst().orElseThrow();
  }

  @Test
  void shouldRecordEachEventOfAKubectlWatchWithItsType() throws Exception {
    String subject = "watch-agent-" + System.nanoTime();
    Process watch = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), null,
        "get", "pods", "-n", "payments", "-w", "--request-timeout=5s", "-o", "name");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (fx.kubeSim.requests().stream().noneMatch(q -> q.query() != null && q.query().contains("watch=true"))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    String name = "it-watched-" + System.nanoTime();
    String pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: payments}\n"
        + "spec:\n  containers: [{name: c, image: busybox}]\n";
    fx.kubeSim.store().apply(pod);
    fx.kubeSim.store().apply(pod.replace("namespace: payments}", "namespace: payments, labels: {touched: 'yes'}}"));
    assertThat(watch.waitFor(30, TimeUnit.SECONDS)).as("kubectl ends with its request timeout").isTrue();

    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted && isWatch(e));
    VigilEvent received = events.stream().filter(e -> e.getPayload() instanceof RequestReceived && isWatch(e)).findFirst()
        .orElseThrow();
    String requestId = received.getRequest().getRequestId();
    List<StreamFrame> frames = frames(events, requestId);
    assertThat(frames).filteredOn(f -> f.getData().getContent().contains(name))
        .extracting(StreamFrame::getWatchEventType).contains("ADDED", "MODIFIED");
    assertThat(frames).allSatisfy(f -> {
      assertThat(f.getStream()).isEqualTo(StreamKind.WATCH);
      assertThat(f.getDirection()).isEqualTo(Direction.TO_CLIENT);
    });
    ResponseCompleted rc = completed(events, requestId);
    assertThat(rc.getOutcome()).isIn(ResponseOutcome.CLIENT_DISCONNECTED, ResponseOutcome.UPSTREAM_CLOSED);
    assertThat(rc.getFramesRecorded()).isEqualTo(frames.size());
  }

  @Test
  void shouldRecordAFollowedKubectlLogLineByLine() throws Exception {
    String subject = "logs-agent-" + System.nanoTime();
    String pod = execPod();
    Process logs = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), null, "logs", "-f", "-n", "payments", pod);
    Thread.sleep(3_500); // a few heartbeat lines
    logs.destroy();
    logs.waitFor(10, TimeUnit.SECONDS);

    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted
        && "log".equals(e.getRequest().getKubernetes().getSubresource()));
    String requestId = events.stream().filter(e -> e.getPayload() instanceof ResponseCompleted
        && "log".equals(e.getRequest().getKubernetes().getSubresource())).findFirst().orElseThrow().getRequest().getRequestId();
    List<StreamFrame> frames = frames(events, requestId);
    assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.getStream()).isEqualTo(StreamKind.LOGS));
    assertThat(frames).filteredOn(f -> f.getData().getContent().contains("heartbeat")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(completed(events, requestId).getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
  }

  @Test
  void shouldRecordKubectlExecPerChannel() throws Exception {
    String subject = "exec-agent-" + System.nanoTime();
    String pod = execPod();
    Process exec = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), null, "exec", "-n", "payments", pod, "--", "env");
    String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exec.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(exec.exitValue()).as(new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(out).contains("HOSTNAME=" + pod);

    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted && isExec(e));
    String requestId = events.stream().filter(e -> e.getPayload() instanceof ResponseCompleted && isExec(e))
        .findFirst().orElseThrow().getRequest().getRequestId();
    List<StreamFrame> frames = frames(events, requestId);
    assertThat(frames).allSatisfy(f -> assertThat(f.getStream()).isEqualTo(StreamKind.EXEC));
    assertThat(frames).filteredOn(f -> Integer.valueOf(1).equals(f.getChannelNumber()))
        .allSatisfy(f -> assertThat(f.getDirection()).isEqualTo(Direction.TO_CLIENT))
        .extracting(f -> f.getData().getContent()).anySatisfy(c -> assertThat(c).contains("HOSTNAME=" + pod));
    assertThat(frames).filteredOn(f -> Integer.valueOf(3).equals(f.getChannelNumber()))
        .singleElement().satisfies(f -> assertThat(f.getData().getContent()).contains("\"status\":\"Success\""));
    ResponseCompleted rc = completed(events, requestId);
    assertThat(rc.getStatus()).isEqualTo(101);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_CLOSED);
  }

  @Test
  void shouldRecordStdinOfAnInteractiveKubectlExec() throws Exception {
    String subject = "cat-agent-" + System.nanoTime();
    Path input = Files.writeString(dir.resolve("stdin-" + System.nanoTime()), "hello through vigil\n");
    Process exec = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), input.toFile(),
        "exec", "-i", "-n", "payments", execPod(), "--", "cat");
    String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exec.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("hello through vigil\n");

    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted && isExec(e));
    String requestId = events.stream().filter(e -> e.getPayload() instanceof ResponseCompleted && isExec(e))
        .findFirst().orElseThrow().getRequest().getRequestId();
    List<StreamFrame> frames = frames(events, requestId);
    assertThat(frames).filteredOn(f -> Integer.valueOf(0).equals(f.getChannelNumber()))
        .allSatisfy(f -> assertThat(f.getDirection()).isEqualTo(Direction.TO_UPSTREAM))
        .extracting(f -> f.getData().getContent()).contains("hello through vigil\n");
    assertThat(frames).filteredOn(f -> Integer.valueOf(1).equals(f.getChannelNumber()))
        .extracting(f -> f.getData().getContent()).contains("hello through vigil\n");
    assertThat(frames).extracting(StreamFrame::getChannelNumber).contains(255);
  }

  @Test
  void shouldRelayAndRecordAKubectlPortForward() throws Exception {
    String subject = "pf-agent-" + System.nanoTime();
    String pod = execPod();
    Process pf = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), null, "port-forward", "-n", "payments",
        "pod/" + pod, ":8080");
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(pf.getInputStream(),
          StandardCharsets.UTF_8));
      String line = out.readLine(); // Forwarding from 127.0.0.1:<port> -> 8080
      assertThat(line).as("kubectl port-forward banner").contains("Forwarding from 127.0.0.1:");
      int port = Integer.parseInt(line.replaceAll(".*127\\.0\\.0\\.1:(\\d+) .*", "$1"));
      String answer;
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(answer).startsWith("HTTP/1.1 200").contains("hello from " + pod);
    } finally {
      pf.destroy();
      pf.waitFor(10, TimeUnit.SECONDS);
    }

    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted
        && "portforward".equals(e.getRequest().getKubernetes().getSubresource()));
    String requestId = events.get(events.size() - 1).getRequest().getRequestId();
    List<StreamFrame> frames = frames(events, requestId);
    assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.getStream()).isEqualTo(StreamKind.PORT_FORWARD));
    assertThat(frames).extracting(StreamFrame::getDirection).contains(Direction.TO_UPSTREAM, Direction.TO_CLIENT);
    assertThat(completed(events, requestId).getStatus()).isEqualTo(101);
  }

  @Test
  void shouldTellKubectlWhyItsSpdyFallbackIsRefused() throws Exception {
    String subject = "spdy-agent-" + System.nanoTime();
    Process exec = kubectl(fx.writeClientKubeconfig(fx.mint(subject)), null, Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"),
        "exec", "-n", "payments", execPod(), "--", "env");
    String err = new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exec.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(exec.exitValue()).isNotZero();
    assertThat(err).contains("Vigil relays exec/attach/port-forward over WebSocket only");
    List<VigilEvent> events = consume(subject, e -> e.getPayload() instanceof ResponseCompleted && isExec(e));
    RequestReceived denied = events.stream().filter(e -> e.getPayload() instanceof RequestReceived && isExec(e))
        .map(e -> (RequestReceived) e.getPayload()).findFirst().orElseThrow();
    assertThat(denied.getDecision().getRuleId()).isEqualTo("protocol");
  }

  private static boolean isWatch(VigilEvent e) {
    var k = e.getRequest().getKubernetes();
    return k != null && "watch".equals(k.getVerb()) && "pods".equals(k.getResource());
  }

  private static boolean isExec(VigilEvent e) {
    var k = e.getRequest().getKubernetes();
    return k != null && "exec".equals(k.getSubresource());
  }

  private static List<StreamFrame> frames(List<VigilEvent> events, String requestId) {
    return events.stream().filter(e -> e.getRequest().getRequestId().equals(requestId))
        .map(VigilEvent::getPayload).filter(StreamFrame.class::isInstance).map(StreamFrame.class::cast).toList();
  }

  private static ResponseCompleted completed(List<VigilEvent> events, String requestId) {
    return events.stream().filter(e -> e.getRequest().getRequestId().equals(requestId))
        .map(VigilEvent::getPayload).filter(ResponseCompleted.class::isInstance).map(ResponseCompleted.class::cast)
        .findFirst().orElseThrow();
  }

  /** kubectl with an isolated HOME; stdin from {@code stdin}, or nothing. */
  private static Process kubectl(Path kubeconfig, File stdin, String... args) throws IOException {
    return KubectlRuns.start(dir, kubeconfig, stdin, Map.of(), args);
  }

  private static Process kubectl(Path kubeconfig, File stdin, Map<String, String> env, String... args) throws IOException {
    return KubectlRuns.start(dir, kubeconfig, stdin, env, args);
  }

  private static List<VigilEvent> consume(String sessionKey, Predicate<VigilEvent> done) {
    return KubectlRuns.consume(kafka.bootstrapServers(), TOPIC, sessionKey, done);
  }
}

package dev.vigil.proxy.it;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.embedded.kafka.EmbeddedKafka;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.proxy.GatewayFixture;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.schema.RecordingGap;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.Topics;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.json.JsonObject;

/**
 * Best-effort recording with a real broker of its own (never the shared one): the broker is stopped while requests
 * flow and restarted on the same data directory and port. Callers keep getting answers throughout; afterwards every
 * request kube-sim saw either has its RequestReceived in Kafka or is counted by a RecordingGap event of its session.
 */
class BestEffortGapIT {

  private static final Logger LOG = LoggerFactory.getLogger(BestEffortGapIT.class);
  /** Session key -> the caller and X-Vigil-Session header (null: none) that produce it. */
  static final Map<String, String[]> SESSIONS = Map.of(
      "gap-a", new String[] {"gap-a", null},
      "gap-a/task-1", new String[] {"gap-a", "task-1"},
      "gap-b", new String[] {"gap-b", null},
      "gap-b/task-2", new String[] {"gap-b", "task-2"});
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static EmbeddedKafka kafka;
  static final Map<String, String> tokens = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data")));
    kafka.createTopic(Topics.EVENTS, 1, Map.of());
    fx = new GatewayFixture(dir);
    Map<String, String> settings = new HashMap<>();
    String producer = ProxyConfig.KAFKA_PRODUCER_PREFIX;
    settings.put(producer + ".bootstrap.servers", kafka.bootstrapServers());
    settings.put(producer + ".linger.ms", "5");
    settings.put(producer + ".reconnect.backoff.max.ms", "500");
    settings.put(producer + ".request.timeout.ms", "1000");
    settings.put(producer + ".delivery.timeout.ms", Long.toString(DELIVERY_TIMEOUT.toMillis()));
    settings.put(producer + ".max.block.ms", "300");
    settings.put(producer + ".buffer.memory", "65536"); // a full producer buffer blocks send: the queue overflows too
    settings.put(ProxyConfig.RECORDING_QUEUE_MAX_EVENTS, "20");
    fx.startProxy(fx.settings(settings), null); // no policy: every call is best effort
    tokens.put("gap-a", fx.mint("gap-a"));
    tokens.put("gap-b", fx.mint("gap-b"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldReportEveryRequestLostWhileTheBrokerWasDownAsAGapOfItsSession() throws Exception {
    for (String session : SESSIONS.keySet()) {
      assertThat(call(session, "warmup")).isEqualTo(200);
    }
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    List<Thread> callers = new ArrayList<>();
    for (String session : SESSIONS.keySet()) {
      Thread t = new Thread(() -> {
        for (int i = 0; running.get(); i++) {
          try {
            statuses.add(call(session, Integer.toString(i)));
          } catch (Exception e) {
            statuses.add(-1);
            LOG.warn("call {} of {} failed: {}", i, session, e.toString());
          }
          try {
            Thread.sleep(5); // steady traffic without saturating the shared machine
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "caller-" + session);
      t.start();
      callers.add(t);
    }
    Thread.sleep(1_000);
    int port = kafka.port();
    kafka.close();
    LOG.info("broker stopped after {} calls", statuses.size());
    Thread.sleep(DELIVERY_TIMEOUT.toMillis() * 2); // long enough for queued sends to expire
    int duringOutage = statuses.size();
    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir.resolve("kafka-data")).withPort(port));
    LOG.info("broker restarted after {} calls", statuses.size());
    Thread.sleep(2_000);
    running.set(false);
    for (Thread t : callers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(statuses).as("best effort: every caller got its answer while the broker was down").containsOnly(200);
    assertThat(statuses.size()).isGreaterThan(duringOutage);

    JsonObject gaps = settledGaps();
    assertThat(gaps.getLong("eventsLost")).as("the outage cost events").isPositive();
    assertThat(gaps.getLong("eventsUnreported")).isZero();

    List<VigilEvent> all = consumeAll();
    Map<String, Set<String>> recorded = new HashMap<>();
    Map<String, String> queryOfRequestId = new HashMap<>();
    Map<String, List<RecordingGap>> gapsBySession = new HashMap<>();
    for (VigilEvent e : all) {
      if (e.getPayload() instanceof RequestReceived) {
        recorded.computeIfAbsent(e.getSessionKey(), k -> new HashSet<>()).add(e.getRequest().getQuery());
      } else if (e.getPayload() instanceof ResponseCompleted) {
        queryOfRequestId.put(e.getRequest().getRequestId(), e.getRequest().getQuery());
      } else if (e.getPayload() instanceof RecordingGap g) {
        gapsBySession.computeIfAbsent(e.getSessionKey(), k -> new ArrayList<>()).add(g);
        String user = SESSIONS.get(e.getSessionKey())[0];
        assertThat(e.getIdentity().getUsername()).as("gap of %s", e.getSessionKey()).isEqualTo(user);
        assertThat(e.getGatewayId()).isEqualTo("test-gateway");
      }
    }
    assertThat(gapsBySession).as("no session beyond the bound: no gateway-level aggregate")
        .doesNotContainKey("vigil-gateway/test-gateway");

    Map<String, List<String>> upstream = fx.kubeSim.requests().stream().map(RecordedRequest::query)
        .filter(q -> q != null && q.startsWith("labelSelector=call%3D"))
        .collect(Collectors.groupingBy(BestEffortGapIT::sessionOf));
    long totalMissing = 0;
    long totalRequestsLost = 0;
    for (String session : SESSIONS.keySet()) {
      List<String> seen = upstream.getOrDefault(session, List.of());
      Set<String> inKafka = recorded.getOrDefault(session, Set.of());
      Set<String> missing = seen.stream().filter(q -> !inKafka.contains(q)).collect(Collectors.toSet());
      List<RecordingGap> sessionGaps = gapsBySession.getOrDefault(session, List.of());
      long requestsLost = sessionGaps.stream().mapToLong(RecordingGap::getRequestsLost).sum();
      LOG.info("session {}: upstream saw {} calls, {} RequestReceived in Kafka, {} missing; {} gap event(s): "
          + "{} events lost, {} of them RequestReceived, reasons {}", session, seen.size(), inKafka.size(), missing.size(),
          sessionGaps.size(), sessionGaps.stream().mapToLong(RecordingGap::getEventsLost).sum(), requestsLost,
          sessionGaps.stream().map(g -> g.getReason().name()).toList());
      assertThat((long) missing.size()).as("requests of %s missing from Kafka are counted in its gaps", session)
          .isLessThanOrEqualTo(requestsLost);
      Set<String> namedIds = sessionGaps.stream().flatMap(g -> g.getLostRequestIds().stream()).collect(Collectors.toSet());
      if (sessionGaps.stream().allMatch(g -> g.getRequestIdsOmitted() == 0)) {
        // A missing request whose response did reach Kafka is named by its request id.
        queryOfRequestId.forEach((id, q) -> {
          if (missing.contains(q)) {
            assertThat(namedIds).as("request id of missing %s", q).contains(id);
          }
        });
      }
      totalMissing += missing.size();
      totalRequestsLost += requestsLost;
    }
    long gapEventsLost = gapsBySession.values().stream().flatMap(List::stream).mapToLong(RecordingGap::getEventsLost).sum();
    LOG.info("reconciliation: {} calls upstream, {} missing RequestReceived, {} RequestReceived reported lost, "
        + "{} events reported lost in {} gap event(s) (status: {})", upstream.values().stream().mapToInt(List::size).sum(),
        totalMissing, totalRequestsLost, gapEventsLost, gapsBySession.values().stream().mapToInt(List::size).sum(), gaps);
    assertThat(totalMissing).as("the outage lost requests (else this test proves nothing)").isPositive();
    assertThat(gapEventsLost).isGreaterThanOrEqualTo(gaps.getLong("eventsLost"));
    assertThat(gaps.getLong("recorded")).isPositive();
  }

  /**
   * The status once every loss is reported and nothing changed for 2 s (bounded wait). Gaps are published when a send
   * is acknowledged: while losses are unreported (a send that expired after the last acknowledged one), one more
   * call gives the gateway that acknowledgement, as live traffic would.
   */
  private static JsonObject settledGaps() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    JsonObject last = null;
    int stable = 0;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      JsonObject status = await(fx.client().get("/vigil/status").send()).bodyAsJsonObject();
      JsonObject now = status.getJsonObject("gaps").copy().put("events", status.getJsonObject("events"));
      boolean reported = now.getLong("eventsUnreported") == 0;
      stable = now.equals(last) && reported ? stable + 1 : 0;
      if (stable >= 4) {
        return now;
      }
      if (!reported && now.equals(last)) {
        assertThat(call("gap-a", "settle-" + i)).isEqualTo(200);
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("recording did not settle: " + last);
  }

  private static int call(String session, String n) throws Exception {
    String[] who = SESSIONS.get(session);
    var req = fx.client().get("/api/v1/namespaces/default/pods?labelSelector=call%3D" + session.replace('/', '.') + "." + n)
        .putHeader("Authorization", "Bearer " + tokens.get(who[0]));
    if (who[1] != null) {
      req.putHeader("X-Vigil-Session", who[1]);
    }
    return await(req.send()).statusCode();
  }

  private static String sessionOf(String query) {
    String label = query.substring("labelSelector=call%3D".length());
    return label.substring(0, label.lastIndexOf('.')).replace('.', '/');
  }

  private static List<VigilEvent> consumeAll() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<VigilEvent> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(Topics.EVENTS, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      AtomicInteger polls = new AtomicInteger();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        polls.incrementAndGet();
        for (ConsumerRecord<String, byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          VigilEvent e = VigilSerdes.events().decode(raw.value());
          assertThat(raw.key()).isEqualTo(e.getSessionKey());
          out.add(e);
        }
      }
      assertThat(consumer.position(tp)).as("read the whole topic in %d polls", polls.get()).isGreaterThanOrEqualTo(end);
    }
    return out;
  }
}

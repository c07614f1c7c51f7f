package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.Direction;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

/**
 * Watches and followed logs through the gateway against kube-sim: streamed as they happen, never cut by the
 * upstream or server idle timeouts, each watch event / log line recorded as a StreamFrame, the stream's end recorded
 * with its outcome, and the per-stream frame cap applied.
 */
class StreamRecordingTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static final InMemorySink sink = new InMemorySink();
  static final InMemorySink cappedSink = new InMemorySink();
  static VigilProxy capped;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_IDLE_TIMEOUT, "500ms", ProxyConfig.SERVER_IDLE_TIMEOUT, "500ms",
        ProxyConfig.STREAMS_LOG_COALESCE_DELAY, "50ms")), sink);
    capped = fx.startProxy(fx.settings(Map.of(ProxyConfig.STREAMS_MAX_FRAMES, "2", ProxyConfig.GATEWAY_ID, "capped")),
        cappedSink);
    fx.kubeSim.store().apply(pod("logger"));
    fx.kubeSim.podLogs().set("payments", "logger", "c", List.of("line one", "line two", "line three"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  static String pod(String name) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: payments}\n"
        + "spec:\n  containers: [{name: c, image: busybox}]\n";
  }

  static String requestId(InMemorySink s, String pathSuffix) throws InterruptedException {
    List<VigilEvent> r = s.await(e -> e.getPayload() instanceof RequestReceived && e.getRequest().getPath().endsWith(pathSuffix),
        1, Duration.ofSeconds(10));
    assertThat(r).as("RequestReceived for " + pathSuffix).isNotEmpty();
    return r.get(r.size() - 1).getRequest().getRequestId();
  }

  @Test
  void shouldRecordEachWatchEventAsAFrameWithItsTypeAndTheEndWhenTheCallerLeaves() throws Exception {
    String name = "watched-" + System.nanoTime();
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(),
        "/api/v1/namespaces/payments/pods?watch=true&fieldSelector=metadata.name%3D" + name, fx.mint("watcher"), "w1");
    String requestId = requestId(sink, "/namespaces/payments/pods");

    fx.kubeSim.store().apply(pod(name));
    assertThat(watch.awaitText("ADDED", Duration.ofSeconds(10))).contains(name);
    Thread.sleep(1_200); // quiet for longer than both idle timeouts: a watch must survive them
    fx.kubeSim.store().apply(pod(name).replace("namespace: payments}", "namespace: payments, labels: {v: '2'}}"));
    fx.kubeSim.store().delete("pods", "payments", name);
    assertThat(watch.awaitText("DELETED", Duration.ofSeconds(10))).contains("MODIFIED");
    assertThat(watch.ended).isFalse();
    watch.close();

    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    assertThat(rc).isNotNull();
    List<StreamFrame> frames = StreamClient.frames(sink, requestId);
    assertThat(frames).extracting(StreamFrame::getWatchEventType).containsSubsequence("ADDED", "MODIFIED", "DELETED");
    assertThat(frames).allSatisfy(f -> {
      assertThat(f.getStream()).isEqualTo(StreamKind.WATCH);
      assertThat(f.getDirection()).isEqualTo(Direction.TO_CLIENT);
      assertThat(f.getData().getContent()).contains(name);
    });
    assertThat(frames).extracting(StreamFrame::getFrameIndex).isSorted().doesNotHaveDuplicates();
    assertThat(rc.getStatus()).isEqualTo(200);
    assertThat(rc.getBody()).isNull();
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    assertThat(rc.getFramesRecorded()).isEqualTo(frames.size());
    assertThat(rc.getFramesDropped()).isZero();
    assertThat(rc.getBytesToClient()).isPositive();
    List<VigilEvent> call = sink.events().stream().filter(e -> e.getRequest().getRequestId().equals(requestId)).toList();
    assertThat(call.get(call.size() - 1).getPayload()).isInstanceOf(ResponseCompleted.class);
    assertThat(call).extracting(VigilEvent::getSequence).isSorted();
  }

  @Test
  void shouldRecordAWatchEndedByTheUpstream() throws Exception {
    StreamClient watch = StreamClient.open(fx, fx.proxy().port(),
        "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1", fx.mint("watcher"), "w2");
    String requestId = requestId(sink, "/namespaces/default/pods");

    ResponseCompleted rc = StreamClient.completed(sink, requestId);

    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_CLOSED);
    assertThat(StreamClient.frames(sink, requestId)).extracting(StreamFrame::getWatchEventType).contains("ADDED");
    assertThat(watch.awaitText("nginx", Duration.ofSeconds(5))).contains("ADDED");
    watch.close();
  }

  @Test
  void shouldRecordAFollowedLogLineByLineAndNeverCutItForIdleness() throws Exception {
    StreamClient logs = StreamClient.open(fx, fx.proxy().port(),
        "/api/v1/namespaces/payments/pods/logger/log?follow=true", fx.mint("tailer"), "l1");
    String requestId = requestId(sink, "/pods/logger/log");

    // heartbeats come once a second, twice the idle timeouts: the stream must stay open
    assertThat(logs.awaitText("heartbeat 3", Duration.ofSeconds(10))).contains("line one", "heartbeat 2");
    assertThat(logs.ended).isFalse();
    logs.close();

    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.CLIENT_DISCONNECTED);
    List<StreamFrame> frames = StreamClient.frames(sink, requestId);
    assertThat(frames).allSatisfy(f -> {
      assertThat(f.getStream()).isEqualTo(StreamKind.LOGS);
      assertThat(f.getWatchEventType()).isNull();
      assertThat(f.getData().getTruncated()).isFalse();
    });
    assertThat(frames.get(0).getData().getContent()).startsWith("line one\n");
    List<String> heartbeats = frames.stream().map(f -> f.getData().getContent()).filter(c -> c.contains("heartbeat")).toList();
    assertThat(heartbeats).hasSizeGreaterThanOrEqualTo(2).allSatisfy(c -> assertThat(c).endsWith(" ok\n").hasLineCount(1));
  }

  @Test
  void shouldRecordALogWithoutFollowAsABody() throws Exception {
    HttpResponse<Buffer> resp = await(fx.client().get("/api/v1/namespaces/payments/pods/logger/log")
        .putHeader("Authorization", "Bearer " + fx.mint("reader")).send());
    String requestId = requestId(sink, "/pods/logger/log");

    ResponseCompleted rc = StreamClient.completed(sink, requestId);
    assertThat(resp.bodyAsString()).contains("line two");
    assertThat(rc.getBody().getContent()).contains("line two");
    assertThat(StreamClient.frames(sink, requestId)).isEmpty();
  }

  @Test
  void shouldCapTheFramesOfAStreamAndSayHowManyWereDropped() throws Exception {
    StreamClient watch = StreamClient.open(fx, capped.port(), "/api/v1/namespaces/payments/pods?watch=true",
        fx.mint("watcher"), "capped");
    String requestId = requestId(cappedSink, "/namespaces/payments/pods");
    watch.awaitText("logger", Duration.ofSeconds(10));
    Thread.sleep(300);
    watch.close();

    ResponseCompleted rc = StreamClient.completed(cappedSink, requestId);
    List<StreamFrame> frames = StreamClient.frames(cappedSink, requestId);
    long dropped = rc.getFramesDropped();
    assertThat(dropped).isPositive();
    assertThat(frames).hasSize(3);
    assertThat(rc.getFramesRecorded()).isEqualTo(3);
    assertThat(frames.get(2).getData().getContent()).startsWith("frames dropped: " + dropped);
    assertThat(frames.get(2).getFrameIndex()).isEqualTo(2 + dropped);
  }
}

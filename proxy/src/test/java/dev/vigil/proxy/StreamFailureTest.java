package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.ResponseOutcome;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;

/**
 * A stream broken by the upstream mid-way: the frames seen so far are recorded, then a ResponseCompleted with outcome
 * UPSTREAM_RESET, the reason and the frame counters.
 */
class StreamFailureTest {

  @TempDir
  static Path dir;
  static GatewayFixture fx;
  static ChannelUpstream upstream;
  static final InMemorySink sink = new InMemorySink();
  static VigilProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(dir);
    upstream = new ChannelUpstream(fx);
    proxy = fx.startProxy(fx.settings(Map.of(ProxyConfig.UPSTREAM_KUBECONFIG,
        fx.writeUpstreamKubeconfigFor("https://127.0.0.1:" + upstream.port()).toString())), sink);
  }

  @AfterAll
  static void stop() throws Exception {
    if (upstream != null) {
      upstream.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private static List<VigilEvent> call(String pathSuffix) throws InterruptedException {
    String requestId = sink.await(e -> e.getPayload() instanceof RequestReceived && e.getRequest().getPath().endsWith(pathSuffix),
        1, Duration.ofSeconds(10)).get(0).getRequest().getRequestId();
    sink.await(e -> e.getRequest().getRequestId().equals(requestId)
        && (e.getPayload() instanceof UpstreamError || e.getPayload() instanceof ResponseCompleted), 1, Duration.ofSeconds(10));
    return sink.events().stream().filter(e -> e.getRequest().getRequestId().equals(requestId)).toList();
  }

  @Test
  void shouldRecordTheEventsSeenThenAnUpstreamErrorWhenTheUpstreamBreaksAWatch() throws Exception {
    StreamClient watch = StreamClient.open(fx, proxy.port(), "/api/v1/namespaces/x/pods?watch=true", fx.mint("w"), null);
    watch.awaitText("ADDED", Duration.ofSeconds(5));

    List<VigilEvent> events = call("/namespaces/x/pods");

    VigilEvent last = events.get(events.size() - 1);
    assertThat(last.getPayload()).isInstanceOfSatisfying(ResponseCompleted.class, rc -> {
      assertThat(rc.getOutcome()).isEqualTo(ResponseOutcome.UPSTREAM_RESET);
      assertThat(rc.getStatus()).isEqualTo(200);
      assertThat(rc.getFramesRecorded()).isEqualTo(2);
      assertThat(rc.getHeaders().get("vigil-upstream-error")).startsWith("RESET");
    });
    List<StreamFrame> frames = events.stream().map(VigilEvent::getPayload).filter(StreamFrame.class::isInstance)
        .map(StreamFrame.class::cast).toList();
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).getWatchEventType()).isEqualTo("ADDED");
    assertThat(frames.get(1).getData().getContent()).isEqualTo("{\"type\":\"MODIF"); // the partial event, as received
    assertThat(frames.get(1).getWatchEventType()).isNull();
    watch.close();
  }

  @Test
  void shouldRecordTheLinesSeenThenAnUpstreamErrorWhenTheUpstreamBreaksAFollowedLog() throws Exception {
    StreamClient logs = StreamClient.open(fx, proxy.port(), "/api/v1/namespaces/x/pods/p/log?follow=1", fx.mint("l"), null);

    List<VigilEvent> events = call("/pods/p/log");

    assertThat(((ResponseCompleted) events.get(events.size() - 1).getPayload()).getOutcome())
        .isEqualTo(ResponseOutcome.UPSTREAM_RESET);
    assertThat(events).filteredOn(e -> e.getPayload() instanceof StreamFrame)
        .extracting(e -> ((StreamFrame) e.getPayload()).getStream()).containsOnly(StreamKind.LOGS).isNotEmpty();
    assertThat(logs.awaitText("a log line", Duration.ofSeconds(5))).contains("a log line");
    logs.close();
  }
}

package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.proxy.InMemorySink;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Direction;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/** Watch events, log chunks and WebSocket channel messages cut into StreamFrames, within the per-stream caps. */
class StreamFramingTest {

  static Vertx vertx;
  static io.vertx.core.Context loop;
  final InMemorySink sink = new InMemorySink();
  final SessionKeys sessions = new SessionKeys(100, Duration.ofHours(1), System::nanoTime);
  final CallRecorder recorder = new CallRecorder(new EventFactory("gw", sessions, System::currentTimeMillis), sink,
      System::nanoTime);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private FrameRecorder frames(StreamKind kind, StreamLimits limits) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = "s";
    ex.ref = EventFactory.ref(ex.requestId, "GET", "/api/v1/pods", "watch=1", null, null, null);
    return new FrameRecorder(ex, recorder, kind, limits);
  }

  private List<StreamFrame> recorded() {
    return sink.events().stream().map(VigilEvent::getPayload).map(StreamFrame.class::cast).toList();
  }

  @Test
  void shouldCutAJsonWatchStreamIntoOneFramePerEventWhateverTheChunking() {
    FrameRecorder frames = frames(StreamKind.WATCH, new StreamLimits(100, 1024, 100, 4096));
    WatchFramer framer = new WatchFramer(frames, "application/json");
    String stream = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}}\n"
        + "{\"object\":{\"kind\":\"Pod\",\"type\":\"x\"},\"type\":\"MODIFIED\"}\n"
        + "\n"
        + "{\"type\":\"DELETED\",\"object\":{}}";
    for (int i = 0; i < stream.length(); i += 7) { // arbitrary chunk boundaries, inside events and lines
      framer.handle(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + 7))));
    }
    framer.end();
    frames.finish();

    List<StreamFrame> f = recorded();
    assertThat(f).extracting(StreamFrame::getWatchEventType).containsExactly("ADDED", "MODIFIED", "DELETED");
    assertThat(f).extracting(StreamFrame::getFrameIndex).containsExactly(0L, 1L, 2L);
    assertThat(f).allSatisfy(s -> {
      assertThat(s.getStream()).isEqualTo(StreamKind.WATCH);
      assertThat(s.getDirection()).isEqualTo(Direction.TO_CLIENT);
      assertThat(s.getData().getEncoding()).isEqualTo(BodyEncoding.TEXT);
      assertThat(s.getData().getTruncated()).isFalse();
    });
    assertThat(f.get(0).getData().getContent()).startsWith("{\"type\":\"ADDED\"").endsWith("}\n");
    assertThat(f.get(2).getData().getContent()).isEqualTo("{\"type\":\"DELETED\",\"object\":{}}");
    assertThat(VigilSerdes.events().decode(VigilSerdes.events().encode(sink.events().get(0)))).isEqualTo(sink.events().get(0));
  }

  @Test
  void shouldTruncateALargeEventButKeepItsTypeAndSize() {
    FrameRecorder frames = frames(StreamKind.WATCH, new StreamLimits(100, 40, 100, 4096));
    WatchFramer framer = new WatchFramer(frames, "application/json");
    String big = "{\"type\":\"MODIFIED\",\"object\":{\"data\":\"" + "x".repeat(500) + "\"}}\n";

    framer.handle(Buffer.buffer(big));

    StreamFrame f = recorded().get(0);
    assertThat(f.getWatchEventType()).isEqualTo("MODIFIED");
    assertThat(f.getData().getTruncated()).isTrue();
    assertThat(f.getData().getOriginalSize()).isEqualTo(big.length());
    assertThat(f.getData().getContent()).hasSize(40);
  }

  @Test
  void shouldCutALengthPrefixedProtobufWatchStream() {
    FrameRecorder frames = frames(StreamKind.WATCH, new StreamLimits(100, 1024, 100, 4096));
    WatchFramer framer = new WatchFramer(frames, "application/vnd.kubernetes.protobuf;stream=watch");
    byte[] added = watchEvent("ADDED", new byte[] {1, 2, 3});
    byte[] deleted = watchEvent("DELETED", new byte[0]);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (byte[] e : List.of(added, deleted)) {
      stream.writeBytes(new byte[] {0, 0, (byte) (e.length >> 8), (byte) e.length});
      stream.writeBytes(e);
    }
    byte[] all = stream.toByteArray();
    for (int i = 0; i < all.length; i += 3) {
      framer.handle(Buffer.buffer().appendBytes(all, i, Math.min(3, all.length - i)));
    }

    List<StreamFrame> f = recorded();
    assertThat(f).extracting(StreamFrame::getWatchEventType).containsExactly("ADDED", "DELETED");
    assertThat(f.get(0).getData().getEncoding()).isEqualTo(BodyEncoding.BASE64);
    assertThat(f.get(0).getData().getOriginalSize()).isEqualTo(added.length);
  }

  /** A metav1.WatchEvent: type (1, string), object (2, RawExtension with raw = field 1). */
  private static byte[] watchEvent(String type, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    out.write(0x0A);
    out.write(t.length);
    out.writeBytes(t);
    out.write(0x12);
    out.write(raw.length + 2);
    out.write(0x0A);
    out.write(raw.length);
    out.writeBytes(raw);
    return out.toByteArray();
  }

  @Test
  void shouldRecordAtMostMaxFramesThenOneDroppedMarker() {
    FrameRecorder frames = frames(StreamKind.WATCH, new StreamLimits(3, 1024, 100, 4096));
    WatchFramer framer = new WatchFramer(frames, "application/json");
    for (int i = 0; i < 10; i++) {
      framer.handle(Buffer.buffer("{\"type\":\"ADDED\",\"object\":{\"n\":" + i + "}}\n"));
    }
    frames.finish();
    frames.finish();

    List<StreamFrame> f = recorded();
    assertThat(f).hasSize(4);
    assertThat(f).extracting(StreamFrame::getFrameIndex).containsExactly(0L, 1L, 2L, 10L);
    assertThat(f.get(3).getData().getContent()).startsWith("frames dropped: 7");
    assertThat(f.get(3).getWatchEventType()).isNull();
    assertThat(frames.framesRecorded()).isEqualTo(4);
    assertThat(frames.framesDropped()).isEqualTo(7);
  }

  @Test
  void shouldCoalesceLogChunksIntoLinesAndFlushAPartialLineAfterTheDelay() throws Exception {
    FrameRecorder frames = frames(StreamKind.LOGS, new StreamLimits(100, 1024, 150, 30));
    LogFramer framer = onLoop(() -> new LogFramer(frames, "text/plain", vertx));

    onLoop(() -> {
      framer.handle(Buffer.buffer("first li"));
      framer.handle(Buffer.buffer("ne\n"));
      return null;
    });
    List<StreamFrame> f = awaitFrames(1);
    assertThat(f.get(0).getData().getContent()).isEqualTo("first line\n");

    onLoop(() -> {
      framer.handle(Buffer.buffer("a\nb\nc\n" + "d".repeat(30) + "\npartial"));
      return null;
    });
    f = awaitFrames(3);
    assertThat(f.get(1).getData().getContent()).isEqualTo("a\nb\nc\n" + "d".repeat(30) + "\n");
    assertThat(f.get(2).getData().getContent()).isEqualTo("partial");
    assertThat(f).allSatisfy(s -> assertThat(s.getStream()).isEqualTo(StreamKind.LOGS));
  }

  @Test
  void shouldBoundALogFrameAndFlagTheTruncation() throws Exception {
    FrameRecorder frames = frames(StreamKind.LOGS, new StreamLimits(100, 16, 5_000, 4096));
    LogFramer framer = onLoop(() -> new LogFramer(frames, "text/plain", vertx));

    onLoop(() -> {
      framer.handle(Buffer.buffer("0123456789".repeat(10)));
      framer.end();
      return null;
    });

    StreamFrame f = awaitFrames(1).get(0);
    assertThat(f.getData().getContent()).isEqualTo("0123456789012345");
    assertThat(f.getData().getTruncated()).isTrue();
    assertThat(f.getData().getOriginalSize()).isEqualTo(100);
  }

  @Test
  void shouldDecodeChannelProtocols() {
    ChannelCodec v5 = new ChannelCodec("v5.channel.k8s.io");
    ChannelCodec.Decoded stdout = v5.decode(Buffer.buffer().appendByte((byte) 1).appendString("hello"), true);
    ChannelCodec.Decoded status = v5.decode(Buffer.buffer().appendByte((byte) 3).appendString("{\"status\":\"Success\"}"), true);
    ChannelCodec.Decoded close = v5.decode(Buffer.buffer(new byte[] {(byte) 255, 0}), true);
    ChannelCodec.Decoded b64 = new ChannelCodec("v4.base64.channel.k8s.io").decode(Buffer.buffer("1aGk="), false);
    ChannelCodec.Decoded tunnel = new ChannelCodec("SPDY/3.1+portforward.k8s.io").decode(Buffer.buffer(new byte[] {1, 2}), true);

    assertThat(stdout.channel()).isEqualTo(1);
    assertThat(stdout.data().toString()).isEqualTo("hello");
    assertThat(status.channel()).isEqualTo(3);
    assertThat(status.contentType()).isEqualTo("application/json");
    assertThat(close.channel()).isEqualTo(255);
    assertThat(close.data().length()).isEqualTo(1);
    assertThat(b64.channel()).isEqualTo(1);
    assertThat(b64.data().toString()).isEqualTo("hi");
    assertThat(tunnel.channel()).isNull();
    assertThat(tunnel.data().length()).isEqualTo(2);
  }

  private List<StreamFrame> awaitFrames(int n) throws InterruptedException {
    List<VigilEvent> events = sink.await(e -> true, n, Duration.ofSeconds(5));
    assertThat(events).hasSizeGreaterThanOrEqualTo(n);
    return recorded();
  }

  private static <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        f.complete(task.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(5, TimeUnit.SECONDS);
  }
}

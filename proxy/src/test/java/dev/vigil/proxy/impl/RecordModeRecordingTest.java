package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.masking.Fingerprinter;
import dev.vigil.masking.Masker;
import dev.vigil.proxy.InMemorySink;
import dev.vigil.proxy.policy.RecordMode;
import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.Direction;
import dev.vigil.schema.Effect;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;

/** The policy's {@code record} mode applied by CallRecorder, FrameRecorder and EventFactory (no gateway). */
class RecordModeRecordingTest {

  static final String AWS_KEY = "AKIAABCDEFGHIJKLMNOP";

  final InMemorySink sink = new InMemorySink();
  final SessionKeys sessions = new SessionKeys(100, Duration.ofHours(1), System::nanoTime);
  final BodyMasking masking = masking();
  final CallRecorder recorder = new CallRecorder(new EventFactory("gw", sessions, System::currentTimeMillis, masking),
      sink, System::nanoTime);

  static BodyMasking masking() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    return new BodyMasking(new Masker(new Fingerprinter(key)));
  }

  static Exchange exchange(RecordMode mode) {
    Exchange ex = new Exchange(null, 0, 0);
    ex.sessionKey = "s";
    ex.ref = EventFactory.ref(ex.requestId, "POST", "/api/v1/namespaces/a/configmaps", null, null, null, null);
    ex.recordMode = mode;
    return ex;
  }

  static Body text(String content) {
    return Body.newBuilder().setContentType("application/json").setEncoding(BodyEncoding.TEXT).setContent(content)
        .setOriginalSize(content.length()).setTruncated(false).setMasked(false).build();
  }

  static final Body WITH_KEY = text("{\"data\":{\"note\":\"aws " + AWS_KEY + "\"}}");

  @Test
  void shouldRecordMetadataWithoutBodiesButWithTheFindingsOfTheMaskedBodies() {
    Exchange ex = exchange(RecordMode.METADATA);

    recorder.received(ex, Map.of("content-length", "42"), WITH_KEY, EventFactory.allow());
    recorder.completed(ex, 201, Map.of(), WITH_KEY, 99);

    List<VigilEvent> events = sink.events();
    assertThat(events).hasSize(2);
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    ResponseCompleted rc = (ResponseCompleted) events.get(1).getPayload();
    assertThat(rr.getBody()).isNull();
    assertThat(rr.getHeaders()).containsEntry("content-length", "42");
    assertThat(rr.getFindings()).extracting(f -> f.getKind()).contains("aws-access-key");
    assertThat(rc.getBody()).isNull();
    assertThat(rc.getStatus()).isEqualTo(201);
    assertThat(rc.getBytesToClient()).isEqualTo(99);
    assertThat(rc.getFindings()).isNotEmpty();
    assertThat(events.toString()).doesNotContain(AWS_KEY);
  }

  @Test
  void shouldRecordTheMaskedBodyInFullMode() {
    Exchange ex = exchange(RecordMode.FULL);

    recorder.received(ex, Map.of(), WITH_KEY, EventFactory.allow());

    RequestReceived rr = (RequestReceived) sink.events().get(0).getPayload();
    assertThat(rr.getBody().getContent()).contains("masked:aws-access-key:").doesNotContain(AWS_KEY);
    assertThat(rr.getFindings()).isNotEmpty();
  }

  @Test
  void shouldRecordNoFramesInMetadataModeAndCountThemNeitherRecordedNorDropped() {
    Exchange ex = exchange(RecordMode.METADATA);
    recorder.received(ex, Map.of(), null, EventFactory.allow());
    FrameRecorder frames = new FrameRecorder(ex, recorder, StreamKind.WATCH, new StreamLimits(2, 1024, 100, 4096));
    ex.frames = frames;

    assertThat(frames.accepting()).isFalse();
    for (int i = 0; i < 5; i++) { // more than the cap of 2: none of them is "dropped" either
      frames.frame(Direction.TO_CLIENT, null, "ADDED", text("{\"type\":\"ADDED\"}"));
      frames.skip(Direction.TO_CLIENT);
    }
    recorder.completed(ex, 200, Map.of(), null, 1234, dev.vigil.schema.ResponseOutcome.UPSTREAM_CLOSED);

    List<VigilEvent> events = sink.events();
    assertThat(events).extracting(e -> e.getPayload().getClass().getSimpleName())
        .containsExactly("RequestReceived", "ResponseCompleted");
    ResponseCompleted rc = (ResponseCompleted) events.get(1).getPayload();
    assertThat(rc.getFramesRecorded()).isZero();
    assertThat(rc.getFramesDropped()).isZero();
    assertThat(rc.getBytesToClient()).isEqualTo(1234);
    assertThat(rc.getOutcome()).isEqualTo(dev.vigil.schema.ResponseOutcome.UPSTREAM_CLOSED);
    assertThat(frames.seen()).isEqualTo(10);
  }

  @Test
  void shouldRecordNothingForAnAllowedCallUnderOffAndCountIt() {
    Exchange ex = exchange(RecordMode.OFF);
    ex.frames = new FrameRecorder(ex, recorder, StreamKind.LOGS, new StreamLimits(2, 1024, 100, 4096));

    assertThat(recorder.received(ex, Map.of(), WITH_KEY, EventFactory.allow()).succeeded()).isTrue();
    ex.frames.frame(Direction.TO_CLIENT, null, null, text("line\n"));
    recorder.completed(ex, 200, Map.of(), WITH_KEY, 10);
    recorder.upstreamError(ex, UpstreamFailures.classify(new java.io.IOException("x")), 502);

    assertThat(sink.events()).isEmpty();
    assertThat(recorder.notRecorded()).isEqualTo(1);
  }

  @Test
  void shouldRecordADeniedCallUnderOffAsMetadata() {
    Exchange ex = exchange(RecordMode.OFF);

    recorder.received(ex, Map.of(), WITH_KEY, EventFactory.deny("no-writes", "read-only"));
    recorder.completed(ex, 403, Map.of(), text("{\"kind\":\"Status\"}"), 80);

    List<VigilEvent> events = sink.events();
    assertThat(events).hasSize(2);
    RequestReceived rr = (RequestReceived) events.get(0).getPayload();
    assertThat(rr.getDecision().getEffect()).isEqualTo(Effect.DENY);
    assertThat(rr.getDecision().getRuleId()).isEqualTo("no-writes");
    assertThat(rr.getBody()).isNull();
    assertThat(rr.getFindings()).isNotEmpty();
    assertThat(((ResponseCompleted) events.get(1).getPayload()).getStatus()).isEqualTo(403);
    assertThat(ex.recordMode).isEqualTo(RecordMode.METADATA);
    assertThat(recorder.notRecorded()).isZero();
  }
}

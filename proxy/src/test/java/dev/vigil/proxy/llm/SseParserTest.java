package dev.vigil.proxy.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class SseParserTest {

  @Test
  void shouldCutAnthropicStreamIntoItsEventsWhateverTheChunking() throws Exception {
    byte[] wire = SseSamples.text("anthropic-tool-use.sse").getBytes(StandardCharsets.UTF_8);
    List<SseParser.Block> whole = SseSamples.parse(new SseParser(1 << 20), wire, wire.length);

    assertThat(whole).hasSize(16);
    assertThat(whole.get(0).event().name()).isEqualTo("message_start");
    assertThat(whole.get(2).event().name()).isEqualTo("ping");
    assertThat(whole.get(2).event().data()).isEqualTo("{\"type\": \"ping\"}");
    assertThat(whole.get(15).event().name()).isEqualTo("message_stop");
    assertThat(whole.get(15).event().index()).isEqualTo(15);
    for (int size : new int[] {1, 2, 3, 7, 64, 333}) {
      SseParser parser = new SseParser(1 << 20);
      List<SseParser.Block> chunked = SseSamples.parse(parser, wire, size);
      assertThat(chunked).as("chunks of %d bytes", size).extracting(SseParser.Block::event).isEqualTo(
          whole.stream().map(SseParser.Block::event).toList());
      assertThat(raw(chunked)).as("relayed bytes, chunks of %d", size).isEqualTo(new String(wire, StandardCharsets.UTF_8));
      assertThat(parser.incomplete()).isFalse();
    }
  }

  @Test
  void shouldReadOpenAiDataOnlyEventsWithTheDefaultName() throws Exception {
    List<SseParser.Event> events = SseSamples.events("openai-text.sse");

    assertThat(events).hasSize(5).allSatisfy(e -> assertThat(e.name()).isEqualTo("message"));
    assertThat(events.get(4).data()).isEqualTo("[DONE]");
  }

  @Test
  void shouldAcceptEveryLineEndingAndAByteOrderMark() throws Exception {
    String events = "\uFEFFevent: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n";
    byte[] wire = events.getBytes(StandardCharsets.UTF_8);
    for (int size : new int[] {1, 2, wire.length}) {
      SseParser parser = new SseParser(1024);
      List<SseParser.Block> blocks = SseSamples.parse(parser, wire, size);
      assertThat(blocks).extracting(b -> b.event().name() + "=" + b.event().data()).as("chunks of %d", size)
          .containsExactly("a=1", "b=2", "c=3");
      assertThat(raw(blocks)).isEqualTo(events);
      assertThat(parser.incomplete()).isFalse();
    }
  }

  @Test
  void shouldJoinDataLinesAndIgnoreCommentsAndOtherFields() throws Exception {
    String wire = ": keep-alive\n\nid: 7\nretry: 10\ndata:first\ndata: second\ndata\nfoo: bar\n\n";
    List<SseParser.Block> blocks = new SseParser(1024).feed(Buffer.buffer(wire));

    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).event()).isNull(); // a comment-only block: relayed, not an event
    assertThat(blocks.get(0).raw().toString()).isEqualTo(": keep-alive\n\n");
    assertThat(blocks.get(1).event().data()).isEqualTo("first\nsecond\n");
    assertThat(blocks.get(1).event().index()).isZero();
  }

  @Test
  void shouldHoldAnUnfinishedEventAndSaySoAtTheEnd() throws Exception {
    SseParser parser = new SseParser(1024);

    assertThat(parser.feed(Buffer.buffer("data: {\"type\":\"message_stop\"}\n"))).isEmpty();
    assertThat(parser.incomplete()).isTrue();
    assertThat(parser.feed(Buffer.buffer("\n"))).hasSize(1);
    assertThat(parser.incomplete()).isFalse();
    parser.feed(Buffer.buffer("data: {\"partial"));
    assertThat(parser.incomplete()).isTrue();
  }

  @Test
  void shouldRefuseAnEventLargerThanTheBound() throws Exception {
    SseParser parser = new SseParser(64);
    parser.feed(Buffer.buffer("data: " + "x".repeat(40)));

    assertThatThrownBy(() -> parser.feed(Buffer.buffer("x".repeat(40))))
        .isInstanceOf(SseParser.MalformedException.class).hasMessageContaining("exceeds 64 bytes");
  }

  @Test
  void shouldNotCountCompletedEventsAgainstTheBound() throws Exception {
    String event = "data: " + "x".repeat(50) + "\n\n";
    assertThat(new SseParser(64).feed(Buffer.buffer(event.repeat(20)))).hasSize(20);
  }

  @Test
  void shouldRefuseALineThatIsNotUtf8() {
    Buffer wire = Buffer.buffer("data: ").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28}).appendString("\n\n");

    assertThatThrownBy(() -> new SseParser(1024).feed(wire)).isInstanceOf(SseParser.MalformedException.class)
        .hasMessageContaining("UTF-8");
  }

  private static String raw(List<SseParser.Block> blocks) {
    Buffer all = Buffer.buffer();
    blocks.stream().map(SseParser.Block::raw).filter(Objects::nonNull).forEach(all::appendBuffer);
    return all.toString(StandardCharsets.UTF_8);
  }
}

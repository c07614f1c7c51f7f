package dev.vigil.proxy.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * Provider wire samples (test resources, written out by hand after the providers' streaming documentation) and
 * helpers to feed them through the parser in any chunking.
 */
public final class SseSamples {

  private SseSamples() {}

  /** The sample {@code name} (e.g. {@code anthropic-tool-use.sse}) as sent on the wire. */
  public static String text(String name) {
    try (InputStream in = SseSamples.class.getResourceAsStream("/dev/vigil/proxy/llm/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing sample " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds {@code wire} in chunks of {@code size} bytes; returns every completed block. */
  static List<SseParser.Block> parse(SseParser parser, byte[] wire, int size) throws SseParser.MalformedException {
    List<SseParser.Block> out = new ArrayList<>();
    for (int i = 0; i < wire.length; i += size) {
      out.addAll(parser.feed(Buffer.buffer().appendBytes(wire, i, Math.min(size, wire.length - i))));
    }
    return out;
  }

  /** The events of a whole sample, fed in one piece. */
  static List<SseParser.Event> events(String name) throws SseParser.MalformedException {
    List<SseParser.Event> out = new ArrayList<>();
    for (SseParser.Block b : new SseParser(1 << 20).feed(Buffer.buffer(text(name)))) {
      if (b.event() != null) {
        out.add(b.event());
      }
    }
    return out;
  }
}

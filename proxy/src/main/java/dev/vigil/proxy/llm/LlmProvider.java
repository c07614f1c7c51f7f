package dev.vigil.proxy.llm;

import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What differs between the providers: the error format the caller's SDK understands, how the gateway's key is
 * presented upstream, which caller headers are relayed, and how a streamed reply is assembled.
 */
abstract class LlmProvider {

  /** Request headers of every provider the caller may set (lower case); everything else is dropped. */
  private static final Set<String> COMMON = Set.of("content-type", "accept", "user-agent");

  private final String id;
  private final Set<String> relayed;

  LlmProvider(String id, Set<String> extraHeaders) {
    this.id = id;
    this.relayed = extraHeaders;
  }

  static LlmProvider forId(String id) {
    if (LlmRoutes.ANTHROPIC.equals(id)) {
      return new AnthropicProvider();
    }
    if (LlmRoutes.OPENAI.equals(id)) {
      return new OpenAiProvider();
    }
    return null;
  }

  final String id() {
    return id;
  }

  /** Whether the caller's request header {@code name} is relayed upstream (credentials never are). */
  final boolean relays(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return COMMON.contains(n) || relayed.contains(n);
  }

  /** An error body in this provider's format; {@code message} must never contain credentials. */
  abstract Buffer error(int status, String message);

  /** Presents the gateway's key (never the caller's credential) on the upstream request. */
  abstract void authorize(MultiMap upstreamHeaders, String key);

  /** A fresh assembler for one streamed reply. */
  abstract ReplyAssembler assembler(long maxChars);
}

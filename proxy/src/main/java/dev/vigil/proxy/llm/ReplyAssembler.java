package dev.vigil.proxy.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Assembles a provider's streamed reply, event by event, into the provider's non-streaming reply shape (what the
 * recording keeps in ResponseCompleted.body). The text it accumulates (text, thinking, tool inputs) is bounded: beyond
 * {@code maxChars} characters it is cut and {@link #truncated()} says so; the relay is never affected.
 */
abstract class ReplyAssembler {

  static final ObjectMapper JSON = new ObjectMapper();

  private final long maxChars;
  private long chars;
  private boolean truncated;
  private boolean finished;
  private String streamError;

  ReplyAssembler(long maxChars) {
    this.maxChars = maxChars;
  }

  /** Takes the next event; a {@link SseParser.MalformedException} when it is not a valid event of this provider. */
  abstract void accept(SseParser.Event event) throws SseParser.MalformedException;

  /** The reply assembled so far (a fresh tree: the caller may change it). */
  abstract ObjectNode reply();

  /** The provider's terminal event was seen (Anthropic {@code message_stop}, OpenAI {@code [DONE]}). */
  final boolean finished() {
    return finished;
  }

  final void finish() {
    finished = true;
  }

  /** The error event the upstream sent in the stream, as {@code <type>: <message>}; null when none. */
  final String streamError() {
    return streamError;
  }

  final void streamError(JsonNode error) {
    JsonNode e = error == null ? null : error.path("error");
    String type = e == null ? "error" : e.path("type").asText("error");
    String message = e == null ? "" : e.path("message").asText("");
    streamError = type + (message.isEmpty() ? "" : ": " + message);
  }

  /** Some accumulated text was cut at the bound. */
  final boolean truncated() {
    return truncated;
  }

  /** Appends {@code piece} to {@code to} as far as the bound allows. */
  final void append(StringBuilder to, String piece) {
    if (piece == null || piece.isEmpty()) {
      return;
    }
    long room = maxChars - chars;
    if (room <= 0) {
      truncated = true;
      return;
    }
    String kept = piece.length() <= room ? piece : piece.substring(0, (int) room);
    truncated |= kept.length() < piece.length();
    chars += kept.length();
    to.append(kept);
  }

  /** The event's data as a JSON object, or a {@link SseParser.MalformedException} naming the event. */
  static ObjectNode object(SseParser.Event event) throws SseParser.MalformedException {
    try {
      JsonNode node = JSON.readTree(event.data());
      if (node instanceof ObjectNode o) {
        return o;
      }
    } catch (JsonProcessingException e) {
      // reported below, without the data (it may hold anything)
    }
    throw new SseParser.MalformedException("event " + event.index() + " (" + event.name() + ") is not a JSON object");
  }
}

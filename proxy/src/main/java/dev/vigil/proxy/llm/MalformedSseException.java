package dev.vigil.proxy.llm;

/** The upstream's event stream is not valid (for SSE, or for its provider): relayed up to the last valid event. */
final class MalformedSseException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedSseException(String message) {
    super(message, null, false, false);
  }
}

package dev.vigil.proxy.llm;

/**
 * One server-sent event as dispatched by {@link SseParser}.
 *
 * @param name  the {@code event:} field, {@code message} when the event has none
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param index 0-based position of the event in its stream
 */
record SseEvent(String name, String data, long index) {

  static final String DEFAULT_NAME = "message";
}

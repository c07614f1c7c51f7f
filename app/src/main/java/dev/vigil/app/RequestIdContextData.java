package dev.vigil.app;

import java.util.Map;

import org.apache.logging.log4j.core.util.ContextDataProvider;

import dev.vigil.ops.RequestIds;

/**
 * Adds the id of the call being handled ({@link RequestIds}) to every log event as {@code requestId}, so the text and
 * JSON layouts show it on every line logged while handling that call, including from its asynchronous callbacks.
 * Registered through {@code META-INF/services}.
 */
public final class RequestIdContextData implements ContextDataProvider {

  @Override
  public Map<String, String> supplyContextData() {
    String id = RequestIds.current();
    return id == null ? Map.of() : Map.of(RequestIds.LOG_KEY, id);
  }
}

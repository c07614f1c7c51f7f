package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change in the store. {@code object} is the new state (for DELETED: the last state);
 * {@code previous} is the state before (null for ADDED). Listeners must not mutate either.
 */
public record WatchEvent(String type, ResourceType resourceType, long resourceVersion, ObjectNode object,
    ObjectNode previous) {

  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";

  public String namespace() {
    return Json.textAt(object, "metadata", "namespace");
  }
}

package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Names, namespaces and server-set metadata: validation, defaulting, generateName suffixes. */
final class Names {

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private Names() {}

  static String namespaceFor(ObjectNode meta, String requested) {
    String bodyNs = Json.text(meta, "namespace");
    if (requested != null && bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(requested)) {
      throw StatusException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    String ns = requested != null ? requested : bodyNs;
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  static void validate(ResourceType type, String name) {
    if (name == null || name.isEmpty()) {
      throw StatusException.invalid(type, name, "metadata.name: Required value: name or generateName is required");
    }
    boolean ok = switch (type.kind()) {
      case "Namespace", "Service" -> DNS_LABEL.matcher(name).matches() && name.length() <= 63;
      case "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Event" ->
          !name.contains("/") && !name.equals(".") && !name.equals("..");
      default -> DNS_SUBDOMAIN.matcher(name).matches() && name.length() <= 253;
    };
    if (!ok) {
      throw StatusException.invalid(type, name, "metadata.name: Invalid value: \"" + name
          + "\": a lowercase RFC 1123 name must consist of lower case alphanumeric characters, '-' or '.', "
          + "and must start and end with an alphanumeric character");
    }
  }

  /** Server-set metadata of a new object. */
  static void fillForCreate(ObjectNode meta) {
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Json.timestamp(Instant.now()));
    meta.put("generation", 1);
    meta.remove("deletionTimestamp");
  }

  /**
   * The object to store for an update: the URL name wins (a different body name is a 400), a
   * stale body resourceVersion is a 409, uid/creationTimestamp are kept, generation bumps when
   * anything outside metadata and status changed.
   */
  static ObjectNode forUpdate(ResourceType type, String namespace, String name, ObjectNode input, ObjectNode current) {
    ObjectNode obj = input.deepCopy();
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    ObjectNode meta = Json.obj(obj, "metadata");
    String bodyName = Json.text(meta, "name");
    if (bodyName != null && !bodyName.equals(name)) {
      throw StatusException.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + name + ")");
    }
    String rv = Json.text(meta, "resourceVersion");
    String currentRv = Json.textAt(current, "metadata", "resourceVersion");
    if (rv != null && !rv.isEmpty() && !rv.equals(currentRv)) {
      throw StatusException.conflict(type, name);
    }
    ObjectNode oldMeta = (ObjectNode) current.get("metadata");
    meta.put("name", name);
    if (type.namespaced()) {
      meta.put("namespace", namespace);
    }
    for (String immutable : new String[] {"uid", "creationTimestamp", "generation"}) {
      meta.set(immutable, oldMeta.get(immutable));
    }
    meta.put("resourceVersion", currentRv);
    if (!specOf(obj).equals(specOf(current))) {
      meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
    }
    return obj;
  }

  private static ObjectNode specOf(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("metadata");
    copy.remove("status");
    return copy;
  }

  static String randomSuffix() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(NAME_CHARS.charAt(ThreadLocalRandom.current().nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }
}

package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An API error that is rendered as a Kubernetes {@code Status} object. Thrown by the store and the
 * handlers; the HTTP layer turns it into the response.
 */
public final class StatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String detailsName;
  private final String detailsKind;
  private final String detailsGroup;

  public StatusException(int code, String reason, String message, String name, String kind, String group) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.detailsName = name;
    this.detailsKind = kind;
    this.detailsGroup = group;
  }

  public StatusException(int code, String reason, String message) {
    this(code, reason, message, null, null, null);
  }

  public static StatusException notFound(ResourceType type, String name) {
    return new StatusException(404, "NotFound",
        type.groupResource() + " \"" + name + "\" not found", name, type.plural(), groupOrNull(type));
  }

  public static StatusException alreadyExists(ResourceType type, String name) {
    return new StatusException(409, "AlreadyExists",
        type.groupResource() + " \"" + name + "\" already exists", name, type.plural(), groupOrNull(type));
  }

  public static StatusException conflict(ResourceType type, String name) {
    return new StatusException(409, "Conflict",
        "Operation cannot be fulfilled on " + type.groupResource() + " \"" + name
            + "\": the object has been modified; please apply your changes to the latest version and try again",
        name, type.plural(), groupOrNull(type));
  }

  public static StatusException invalid(ResourceType type, String name, String message) {
    return new StatusException(422, "Invalid",
        type.kind() + " \"" + (name == null ? "" : name) + "\" is invalid: " + message,
        name, type.kind(), groupOrNull(type));
  }

  public static StatusException badRequest(String message) {
    return new StatusException(400, "BadRequest", message);
  }

  public static StatusException methodNotAllowed(String message) {
    return new StatusException(405, "MethodNotAllowed", message);
  }

  public static StatusException unsupportedMediaType(String contentType) {
    return new StatusException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + "application/json, application/yaml, application/vnd.kubernetes.protobuf"
            + (contentType == null ? "" : " (got " + contentType + ")"));
  }

  private static String groupOrNull(ResourceType type) {
    return type.group().isEmpty() ? null : type.group();
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** The {@code Status} object as Kubernetes returns it. */
  public ObjectNode toStatus() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", getMessage());
    s.put("reason", reason);
    if (detailsName != null || detailsKind != null) {
      ObjectNode d = s.putObject("details");
      if (detailsName != null) {
        d.put("name", detailsName);
      }
      if (detailsGroup != null) {
        d.put("group", detailsGroup);
      }
      if (detailsKind != null) {
        d.put("kind", detailsKind);
      }
    }
    s.put("code", code);
    return s;
  }
}

package dev.vigil.query.impl;

import io.vertx.core.json.JsonObject;

/** An error answered in the API's one JSON error shape. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  /** What the audit line of this refusal adds (never sent to the client), e.g. the owner of the session asked for. */
  private transient JsonObject auditDetail;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "unavailable", message);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "internal", message);
  }

  /** Adds {@code name: value} to the audit line of this refusal only (the answer never carries it). */
  public ApiException audit(String name, Object value) {
    if (auditDetail == null) {
      auditDetail = new JsonObject();
    }
    auditDetail.put(name, value);
    return this;
  }

  /** The audit-only detail, or null. */
  public JsonObject auditDetail() {
    return auditDetail;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}

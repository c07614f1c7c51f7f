package dev.vigil.proxy.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Kubernetes {@code Status} bodies for the answers the gateway gives itself, so kubectl prints them like the API
 * server's own errors ({@code error: You must be logged in to the server (Unauthorized)} and the like).
 */
final class StatusErrors {

  static final String CONTENT_TYPE = "application/json";

  /** An error the gateway answers with. {@code message} must never contain credentials. */
  record StatusError(int code, String reason, String message) {

    Buffer toBuffer() {
      return Buffer.buffer(toJson().encode());
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("kind", "Status")
          .put("apiVersion", "v1")
          .put("metadata", new JsonObject())
          .put("status", "Failure")
          .put("message", message)
          .put("reason", reason)
          .put("code", code);
    }
  }

  private StatusErrors() {}

  static StatusError unauthorized(String why) {
    return new StatusError(401, "Unauthorized", "Unauthorized: " + why);
  }

  static StatusError badRequest(String message) {
    return new StatusError(400, "BadRequest", message);
  }

  static StatusError tooLarge(long limit) {
    return new StatusError(413, "RequestEntityTooLarge",
        "the request body is larger than the gateway's limit of " + limit + " bytes");
  }

  /** The upstream could not be reached or failed; {@code upstream} is host:port only. */
  static StatusError upstreamUnavailable(String upstream, String what) {
    return new StatusError(502, "ServiceUnavailable",
        "the Kubernetes API server " + upstream + " is unavailable through the Vigil gateway: " + what);
  }

  static StatusError upstreamTimeout(String upstream) {
    return new StatusError(504, "Timeout",
        "the Kubernetes API server " + upstream + " is unavailable through the Vigil gateway: it did not answer in time");
  }
}

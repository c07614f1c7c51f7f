package dev.vigil.llmsim.impl;

/** A request the simulated API refuses: status, provider error type and message. */
final class ApiException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;

  ApiException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  static ApiException invalid(String message) {
    return new ApiException(400, "invalid_request_error", message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}

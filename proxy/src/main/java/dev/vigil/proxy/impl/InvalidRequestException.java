package dev.vigil.proxy.impl;

/** The caller's request is malformed (bad path, bad session header...): answered with a 400 Status. */
final class InvalidRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}

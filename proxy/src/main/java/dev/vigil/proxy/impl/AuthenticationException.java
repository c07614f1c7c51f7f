package dev.vigil.proxy.impl;

/**
 * The caller could not be authenticated. The message is a short reason that is safe to show to the caller and to
 * record ("token expired", "unknown signing key"...): it never contains the token or any part of it.
 */
final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;

  AuthenticationException(String reason) {
    super(reason, null, false, false);
  }
}

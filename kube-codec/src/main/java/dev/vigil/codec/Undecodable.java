package dev.vigil.codec;

/** Internal control flow: a body that cannot be decoded. Never escapes the public API. */
final class Undecodable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final DecodeResult.Problem problem;

  Undecodable(DecodeResult.Problem problem, String message) {
    super(message, null, false, false);
    this.problem = problem;
  }
}

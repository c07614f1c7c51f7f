package dev.vigil.indexer.impl;

/** Thrown inside the poll thread when the indexer is closing while work is still pending (nothing gets committed). */
final class ClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClosedException() {
    super("indexer closing", null, false, false);
  }
}

package dev.vigil.indexer.impl;

/**
 * The indexer cannot go on without an operator: it stops, logs at ERROR and completes
 * {@link dev.vigil.indexer.EventIndexer#terminated()} exceptionally with this. Nothing past the failing batch is
 * committed, so a restart after the fix loses nothing.
 */
public final class IndexerFatalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexerFatalException(String message) {
    super(message);
  }

  public IndexerFatalException(String message, Throwable cause) {
    super(message, cause);
  }
}

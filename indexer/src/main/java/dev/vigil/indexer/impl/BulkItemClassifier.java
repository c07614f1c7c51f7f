package dev.vigil.indexer.impl;

/**
 * Decides what to do with one bulk item result. Success: 2xx without error. Retryable: 429 (rejected execution, read-only
 * block under disk pressure), 408 and every 5xx (shard unavailable, node disconnect, timeouts) and unknown statuses.
 * Everything else (400 mapping/parse errors, 403, 404...) will fail again the same way and goes to the DLQ.
 */
public final class BulkItemClassifier {

  /** What to do with one item. */
  public enum Outcome { SUCCESS, RETRY, REJECT }

  private BulkItemClassifier() {}

  /**
   * @param status the item's HTTP status
   * @param errorType the item's {@code error.type}, or null when it has no error
   */
  public static Outcome classify(int status, String errorType) {
    if (status >= 200 && status < 300 && errorType == null) {
      return Outcome.SUCCESS;
    }
    if (status == 429 || status == 408 || status >= 500 || status < 100) {
      return Outcome.RETRY;
    }
    if (status >= 200 && status < 300) {
      // an error with a success status is not something OpenSearch sends; do not guess it was stored
      return Outcome.RETRY;
    }
    return Outcome.REJECT;
  }
}

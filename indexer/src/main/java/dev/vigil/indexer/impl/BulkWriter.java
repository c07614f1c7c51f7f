package dev.vigil.indexer.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.VersionType;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of documents with the bulk API until every item is either stored or known to be unstorable.
 *
 * <ul>
 *   <li>The batch is cut into bulk requests of at most {@code maxBytes} (estimated JSON size of the action and document
 *       lines); a single larger document is sent on its own.</li>
 *   <li>Whole-request failures are classified by {@link RequestFailure}: 413 → the request is split in halves, recursively,
 *       and a single document refused as too large becomes a {@link DeadLetter#TOO_LARGE} dead letter; other 4xx but
 *       408/429 → every item becomes a {@link DeadLetter#REQUEST_REJECTED} dead letter; 401/403 → {@link
 *       IndexerFatalException}; everything else (unreachable, timeouts, 408, 429, 5xx) is retried with bounded exponential
 *       backoff for as long as it takes: nothing is skipped, nothing committed meanwhile.</li>
 *   <li>Items failing with a retryable status ({@link BulkItemClassifier}) are resent, with backoff, up to
 *       {@code maxAttempts} times; then they become {@link DeadLetter#RETRIES_EXHAUSTED} dead letters.</li>
 *   <li>Items failing otherwise (mapping errors, 400...) become {@link DeadLetter#REJECTED} dead letters.</li>
 * </ul>
 * Documents are written with the index operation and their id as {@code _id}, so rewriting is idempotent. A versioned
 * item (a session summary, versioned by its Kafka offset) is written with {@code version_type=external_gte}; a 409
 * version conflict means a newer version is already stored: the item is done (counted as superseded), not an error.
 */
final class BulkWriter {

  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  static final String VERSION_CONFLICT = "version_conflict_engine_exception";

  private final OpenSearchAsyncClient client;
  private final Backoff backoff;
  private final int maxAttempts;
  private final long maxBytes;
  private final Shutdown shutdown;
  private final AtomicLong indexed;
  private final AtomicLong superseded;
  private final AtomicLong retries;

  BulkWriter(OpenSearchAsyncClient client, Backoff backoff, int maxAttempts, long maxBytes, Shutdown shutdown,
      AtomicLong indexed, AtomicLong superseded, AtomicLong retries) {
    this.client = client;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.maxBytes = maxBytes;
    this.shutdown = shutdown;
    this.indexed = indexed;
    this.superseded = superseded;
    this.retries = retries;
  }

  /**
   * Writes {@code items}; returns the dead letters. Throws {@link ClosedException} if closed before done and
   * {@link IndexerFatalException} if OpenSearch refuses the indexer itself.
   */
  List<DeadLetter> write(List<BulkItem> items) {
    List<DeadLetter> dead = new ArrayList<>();
    for (List<BulkItem> chunk : chunks(items, maxBytes)) {
      writeRequest(chunk, 0, dead);
    }
    return dead;
  }

  /** Consecutive items whose estimated sizes add up to at most {@code maxBytes} (a larger item is alone). */
  static List<List<BulkItem>> chunks(List<BulkItem> items, long maxBytes) {
    List<List<BulkItem>> out = new ArrayList<>();
    List<BulkItem> current = new ArrayList<>();
    long size = 0;
    for (BulkItem item : items) {
      if (!current.isEmpty() && size + item.bytes() > maxBytes) {
        out.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(item);
      size += item.bytes();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private void writeRequest(List<BulkItem> items, int priorItemAttempts, List<DeadLetter> dead) {
    List<BulkItem> pending = items;
    int itemAttempt = priorItemAttempts;
    int requestFailures = 0;
    while (!pending.isEmpty()) {
      shutdown.checkOpen();
      BulkResponse response;
      try {
        response = send(pending);
      } catch (ClosedException e) {
        throw e;
      } catch (Exception e) {
        RequestFailure failure = RequestFailure.of(e);
        switch (failure.kind()) {
          case TOO_LARGE -> {
            tooLarge(pending, itemAttempt, failure, dead);
            return;
          }
          case REJECTED -> {
            // the status only: OpenSearch's reason may quote a value (it goes to the DLQ header)
            LOG.warn("Bulk request of {} documents refused with status {}; sending them to the DLQ", pending.size(),
                failure.status());
            pending.forEach(i -> dead.add(DeadLetter.of(i, DeadLetter.REQUEST_REJECTED, failure.detail())));
            return;
          }
          case FATAL -> throw new IndexerFatalException("OpenSearch refused the indexer's bulk request (" + failure.status()
              + "): check vigil.indexer.opensearch.username/.password and that this user may write to the indices", e);
          case RETRY -> {
            requestFailures++;
            retries.incrementAndGet();
            long delay = backoff.delayMillis(requestFailures);
            String msg = "Bulk request of {} documents failed (attempt {}), retrying in {} ms: {}";
            if (requestFailures % 10 == 0) {
              LOG.error(msg, pending.size(), requestFailures, delay, failure.detail());
            } else {
              LOG.warn(msg, pending.size(), requestFailures, delay, failure.detail());
            }
            shutdown.sleep(delay);
            continue;
          }
        }
        continue;
      }
      requestFailures = 0;
      itemAttempt++;
      pending = handleItems(pending, response, itemAttempt, dead);
    }
  }

  /** 413: halve the request and write both halves; a single document is a dead letter. */
  private void tooLarge(List<BulkItem> pending, int itemAttempt, RequestFailure failure, List<DeadLetter> dead) {
    if (pending.size() == 1) {
      BulkItem item = pending.get(0);
      LOG.warn("OpenSearch refused a single document of about {} bytes as too large (413); sending it to the DLQ", item.bytes());
      dead.add(DeadLetter.of(item, DeadLetter.TOO_LARGE,
          failure.detail() + " (one document of about " + item.bytes() + " bytes)"));
      return;
    }
    int half = pending.size() / 2;
    LOG.info("OpenSearch refused a bulk request of {} documents as too large (413); splitting it in two", pending.size());
    writeRequest(new ArrayList<>(pending.subList(0, half)), itemAttempt, dead);
    writeRequest(new ArrayList<>(pending.subList(half, pending.size())), itemAttempt, dead);
  }

  /** Classifies each item result; returns the items to send again. */
  private List<BulkItem> handleItems(List<BulkItem> pending, BulkResponse response, int itemAttempt, List<DeadLetter> dead) {
    List<BulkResponseItem> results = response.items();
    if (results.size() != pending.size()) {
      // cannot tell which item is which: resend everything (idempotent)
      LOG.warn("Bulk response has {} items for {} operations; resending the batch", results.size(), pending.size());
      retries.incrementAndGet();
      shutdown.sleep(backoff.delayMillis(1));
      return pending;
    }
    List<BulkItem> retry = new ArrayList<>();
    String lastRetryError = null;
    for (int i = 0; i < pending.size(); i++) {
      BulkItem item = pending.get(i);
      BulkResponseItem result = results.get(i);
      ErrorCause error = result.error();
      String errorType = error == null ? null : String.valueOf(error.type());
      if (item.version() != null && result.status() == 409 && VERSION_CONFLICT.equals(errorType)) {
        superseded.incrementAndGet(); // a newer version (higher offset) is already stored: nothing to do
        continue;
      }
      switch (BulkItemClassifier.classify(result.status(), errorType)) {
        case SUCCESS -> indexed.incrementAndGet();
        case RETRY -> {
          lastRetryError = result.status() + " " + errorType;
          if (itemAttempt >= maxAttempts) {
            dead.add(DeadLetter.of(item, DeadLetter.RETRIES_EXHAUSTED,
                "gave up after " + itemAttempt + " attempts, last: " + describe(result)));
          } else {
            retry.add(item);
          }
        }
        case REJECT -> dead.add(DeadLetter.of(item, DeadLetter.REJECTED, describe(result)));
      }
    }
    if (!retry.isEmpty()) {
      retries.addAndGet(retry.size());
      long delay = backoff.delayMillis(itemAttempt);
      LOG.warn("{} of {} bulk items failed with a retryable error (last: {}), attempt {} of {}, retrying in {} ms",
          retry.size(), pending.size(), lastRetryError, itemAttempt, maxAttempts, delay);
      shutdown.sleep(delay);
    }
    return retry;
  }

  private BulkResponse send(List<BulkItem> items) throws Exception {
    List<BulkOperation> ops = new ArrayList<>(items.size());
    for (BulkItem item : items) {
      ops.add(BulkOperation.of(o -> o.index(i -> {
        i.index(item.index()).id(item.id()).document(item.document());
        return item.version() == null ? i : i.version(item.version()).versionType(VersionType.ExternalGte);
      })));
    }
    CompletableFuture<BulkResponse> future = client.bulk(BulkRequest.of(b -> b.operations(ops)));
    while (true) {
      if (shutdown.requested()) {
        future.cancel(true);
        throw new ClosedException();
      }
      try {
        return future.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // keep waiting; the transport's response timeout bounds the wait
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        throw new ClosedException();
      }
    }
  }

  /** Status, error type and reason of a failed item (the reason may quote the offending value: DLQ header only). */
  static String describe(BulkResponseItem result) {
    ErrorCause e = result.error();
    if (e == null) {
      return String.valueOf(result.status());
    }
    StringBuilder sb = new StringBuilder().append(result.status()).append(' ').append(e.type()).append(": ").append(e.reason());
    if (e.causedBy() != null) {
      sb.append(" (caused by ").append(e.causedBy().type()).append(": ").append(e.causedBy().reason()).append(')');
    }
    return sb.toString();
  }
}

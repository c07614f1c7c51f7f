package dev.vigil.indexer.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.ErrorCause;
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
 *   <li>Whole-request failures (OpenSearch unreachable, timeouts, error answers for the request as a whole) are retried
 *       with bounded exponential backoff for as long as it takes: nothing is skipped, nothing committed meanwhile.</li>
 *   <li>Items failing with a retryable status ({@link BulkItemClassifier}) are resent, with backoff, up to
 *       {@code maxAttempts} times; then they become {@link DeadLetter#RETRIES_EXHAUSTED} dead letters.</li>
 *   <li>Items failing otherwise (mapping errors, 400...) become {@link DeadLetter#REJECTED} dead letters.</li>
 * </ul>
 * Documents are written with the index operation and the event id as {@code _id}, so rewriting is idempotent.
 */
final class BulkWriter {

  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

  /** One document to write. */
  record Item(ConsumerRecord<byte[], byte[]> record, String eventId, String index, Map<String, Object> document) {}

  private final OpenSearchAsyncClient client;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Shutdown shutdown;
  private final AtomicLong indexed;
  private final AtomicLong retries;

  BulkWriter(OpenSearchAsyncClient client, Backoff backoff, int maxAttempts, Shutdown shutdown, AtomicLong indexed,
      AtomicLong retries) {
    this.client = client;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.shutdown = shutdown;
    this.indexed = indexed;
    this.retries = retries;
  }

  /** Writes {@code items}; returns the dead letters. Throws {@link ClosedException} if closed before done. */
  List<DeadLetter> write(List<Item> items) {
    List<DeadLetter> dead = new ArrayList<>();
    List<Item> pending = items;
    int itemAttempt = 0;
    int requestFailures = 0;
    while (!pending.isEmpty()) {
      shutdown.checkOpen();
      BulkResponse response;
      try {
        response = send(pending);
      } catch (ClosedException e) {
        throw e;
      } catch (Exception e) {
        requestFailures++;
        retries.incrementAndGet();
        long delay = backoff.delayMillis(requestFailures);
        String msg = "Bulk request of {} documents failed (attempt {}), retrying in {} ms: {}";
        if (requestFailures % 10 == 0) {
          LOG.error(msg, pending.size(), requestFailures, delay, describe(e));
        } else {
          LOG.warn(msg, pending.size(), requestFailures, delay, describe(e));
        }
        shutdown.sleep(delay);
        continue;
      }
      requestFailures = 0;
      itemAttempt++;
      List<BulkResponseItem> results = response.items();
      if (results.size() != pending.size()) {
        // cannot tell which item is which: resend everything (idempotent)
        LOG.warn("Bulk response has {} items for {} operations; resending the batch", results.size(), pending.size());
        retries.incrementAndGet();
        shutdown.sleep(backoff.delayMillis(1));
        continue;
      }
      List<Item> retry = new ArrayList<>();
      String lastRetryError = null;
      for (int i = 0; i < pending.size(); i++) {
        Item item = pending.get(i);
        BulkResponseItem result = results.get(i);
        ErrorCause error = result.error();
        String errorType = error == null ? null : String.valueOf(error.type());
        switch (BulkItemClassifier.classify(result.status(), errorType)) {
          case SUCCESS -> indexed.incrementAndGet();
          case RETRY -> {
            lastRetryError = result.status() + " " + errorType;
            if (itemAttempt >= maxAttempts) {
              dead.add(new DeadLetter(item.record(), DeadLetter.RETRIES_EXHAUSTED,
                  "gave up after " + itemAttempt + " attempts, last: " + describe(result), item.eventId()));
            } else {
              retry.add(item);
            }
          }
          case REJECT -> dead.add(new DeadLetter(item.record(), DeadLetter.REJECTED, describe(result), item.eventId()));
        }
      }
      if (!retry.isEmpty()) {
        retries.addAndGet(retry.size());
        long delay = backoff.delayMillis(itemAttempt);
        LOG.warn("{} of {} bulk items failed with a retryable error (last: {}), attempt {} of {}, retrying in {} ms",
            retry.size(), pending.size(), lastRetryError, itemAttempt, maxAttempts, delay);
        shutdown.sleep(delay);
      }
      pending = retry;
    }
    return dead;
  }

  private BulkResponse send(List<Item> items) throws Exception {
    List<BulkOperation> ops = new ArrayList<>(items.size());
    for (Item item : items) {
      ops.add(BulkOperation.of(o -> o.index(i -> i.index(item.index()).id(item.eventId()).document(item.document()))));
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

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}

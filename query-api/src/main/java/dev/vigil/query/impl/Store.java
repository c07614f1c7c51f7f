package dev.vigil.query.impl;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.CountRequest;
import org.opensearch.client.opensearch.core.CountResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenSearch, as the handlers see it: searches and counts completing on the caller's Vert.x context, failures turned
 * into API errors (unreachable or 5xx/429 → 503 after three retries within about a second; a refused query → 500
 * at once). Searches use
 * {@code ignore_unavailable}/{@code allow_no_indices}, so an index that does not exist yet reads as empty.
 */
final class Store {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Waits before the retries of a transiently unavailable store: three more attempts within about a second. */
  static final long[] RETRY_DELAYS_MS = {100, 300, 600};

  private final Vertx vertx;
  private final OpenSearchAsyncClient client;

  Store(Vertx vertx, OpenSearchAsyncClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<SearchResponse<ObjectNode>> search(SearchRequest request) {
    return withRetries(() -> client.search(request, ObjectNode.class), 0);
  }

  Future<Long> count(CountRequest request) {
    return withRetries(() -> client.count(request), 0).map(CountResponse::count);
  }

  /** An OpenSearch call whose future may also be thrown at once (the client's signature). */
  @FunctionalInterface
  interface Call<T> {
    CompletableFuture<T> start() throws IOException;
  }

  /**
   * Runs {@code call}, retrying after {@link #RETRY_DELAYS_MS} while it fails with a transient unavailability (503:
   * unreachable, 5xx, 429 — e.g. the shards of a daily index created a moment ago are not started yet); any other
   * failure is final at once.
   */
  private <T> Future<T> withRetries(Call<T> call, int attempt) {
    CompletableFuture<T> cf;
    try {
      cf = call.start();
    } catch (IOException | RuntimeException e) {
      cf = CompletableFuture.failedFuture(e);
    }
    io.vertx.core.Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(cf, context).recover(e -> {
      Throwable failure = translate(e);
      boolean transient503 = failure instanceof ApiException api && api.status() == 503;
      if (!transient503 || attempt >= RETRY_DELAYS_MS.length) {
        return Future.failedFuture(failure);
      }
      io.vertx.core.Promise<T> retried = io.vertx.core.Promise.promise();
      vertx.setTimer(RETRY_DELAYS_MS[attempt], t -> withRetries(call, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  Vertx vertx() {
    return vertx;
  }

  /** OpenSearch failures → API errors. */
  static Throwable translate(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof OpenSearchException ose) {
      LOG.warn("OpenSearch answered {}: {}", ose.status(), ose.getMessage());
      return ose.status() >= 500 || ose.status() == 429
          ? ApiException.unavailable("The event store is unavailable")
          : ApiException.internal("The event store rejected the query");
    }
    if (cause instanceof IOException) {
      LOG.warn("OpenSearch unreachable: {}", cause.toString());
      return ApiException.unavailable("The event store is unavailable");
    }
    return cause;
  }
}

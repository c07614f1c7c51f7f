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
 * into API errors (unreachable or 5xx/429 → 503; a refused query → 500). Searches use
 * {@code ignore_unavailable}/{@code allow_no_indices}, so an index that does not exist yet reads as empty.
 */
final class Store {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  private final Vertx vertx;
  private final OpenSearchAsyncClient client;

  Store(Vertx vertx, OpenSearchAsyncClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<SearchResponse<ObjectNode>> search(SearchRequest request) {
    CompletableFuture<SearchResponse<ObjectNode>> cf;
    try {
      cf = client.search(request, ObjectNode.class);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(translate(e));
    }
    return Future.fromCompletionStage(cf, vertx.getOrCreateContext()).recover(e -> Future.failedFuture(translate(e)));
  }

  Future<Long> count(CountRequest request) {
    CompletableFuture<CountResponse> cf;
    try {
      cf = client.count(request);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(translate(e));
    }
    return Future.fromCompletionStage(cf, vertx.getOrCreateContext())
        .recover(e -> Future.<CountResponse>failedFuture(translate(e)))
        .map(CountResponse::count);
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

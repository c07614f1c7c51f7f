package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.vigil.ops.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/** The request id bound while handling a call follows its asynchronous steps into the log context, and only those. */
class RequestIdContextDataTest {

  private final Vertx vertx = Vertx.vertx();
  private final RequestIdContextData provider = new RequestIdContextData();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldFollowTheCallAcrossCallbacksButNotOtherCalls() throws Exception {
    ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal call = loop.duplicate();
    ContextInternal other = loop.duplicate();
    CompletableFuture<Map<String, String>> later = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> elsewhere = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> onLoop = new CompletableFuture<>();

    call.runOnContext(v -> {
      RequestIds.bind("req-1");
      vertx.setTimer(10, id -> later.complete(provider.supplyContextData())); // an async step of the same call
    });
    other.runOnContext(v -> elsewhere.complete(provider.supplyContextData()));
    loop.runOnContext(v -> {
      RequestIds.bind("not on a request");
      onLoop.complete(provider.supplyContextData());
    });

    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("requestId", "req-1"));
    assertThat(elsewhere.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(onLoop.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(provider.supplyContextData()).isEmpty(); // the test thread
  }
}

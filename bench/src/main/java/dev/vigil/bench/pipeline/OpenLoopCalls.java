package dev.vigil.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends GETs through the gateway at a fixed rate, open-loop: call i is sent at start + i / rate whatever happened to
 * the calls before it, and its response time is counted from that intended instant (no coordinated omission: a call
 * waiting for one of the client's pooled connections counts its wait). Each answered call is handed on with the
 * {@code X-Request-Id} the gateway recorded it under.
 */
final class OpenLoopCalls {

  /** An answered call: the gateway's request id, when the client had the whole response, its response time. */
  record Answered(String requestId, long receivedNanos, double responseMillis) {}

  private final HttpClient client;
  private final String url;
  private final String authorization;
  private final Consumer<Answered> onAnswer;
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();

  OpenLoopCalls(HttpClient client, String url, String bearerToken, Consumer<Answered> onAnswer) {
    this.client = client;
    this.url = url;
    this.authorization = "Bearer " + bearerToken;
    this.onAnswer = onAnswer;
  }

  /** Sends {@code count} calls at {@code perSecond}; returns once every call has answered or failed (bounded). */
  void run(int count, double perSecond) throws InterruptedException {
    long period = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    List<CompletableFuture<?>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long intended = start + i * period;
      for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
          .setIdleTimeout(10_000).putHeader("Authorization", authorization).putHeader("Accept", "application/json");
      // the body is read in send()'s own continuation: chained outside it, from this thread, a response that has
      // already ended by then loses its body and the call never completes
      Future<Answer> call = client.request(request)
          .compose(req -> req.send().compose(resp -> resp.body().map(body -> new Answer(resp, body))));
      calls.add(call.toCompletionStage().toCompletableFuture().whenComplete((a, e) -> answered(intended, a, e)));
    }
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
          .get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      fail("calls still unanswered 30 s after the last was sent: " + e);
    }
  }

  private record Answer(HttpClientResponse response, Buffer body) {}

  private void answered(long intended, Answer a, Throwable e) {
    long now = System.nanoTime();
    if (e != null) {
      fail(e.toString());
      return;
    }
    String id = a.response().getHeader("X-Request-Id");
    if (a.response().statusCode() != 200 || id == null) {
      fail("HTTP " + a.response().statusCode() + (id == null ? " without X-Request-Id" : ""));
      return;
    }
    onAnswer.accept(new Answered(id, now, (now - intended) / 1e6));
  }

  private void fail(String why) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, why);
  }

  int failed() {
    return failed.get();
  }

  /** The first failure's description, or null. */
  String firstFailure() {
    return firstFailure.get();
  }
}

package dev.vigil.streams.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A real local HTTP receiver for the notifier tests (Vert.x HttpServer on a free port of 127.0.0.1): records every
 * request and answers with scripted replies, then with the fallback (200 unless changed); a {@code hang} reply never
 * answers.
 */
final class WebhookReceiver implements AutoCloseable {

  record Received(long nanoTime, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  record Reply(int status, Map<String, String> headers, String body) {
    static Reply of(int status) {
      return new Reply(status, Map.of(), "");
    }

    static Reply hang() {
      return new Reply(-1, Map.of(), "");
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Reply fallback = Reply.of(200);

  WebhookReceiver(Vertx vertx) throws Exception {
    this.server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
      received.add(new Received(System.nanoTime(), req.path(), headers, body.getBytes()));
      Reply reply = script.poll();
      Reply r = reply == null ? fallback : reply;
      if (r.status() < 0) {
        return;
      }
      req.response().setStatusCode(r.status());
      r.headers().forEach(req.response()::putHeader);
      req.response().end(r.body());
    });
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Answers the next requests with {@code replies}, in order. */
  void script(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** Answers every request not scripted with {@code reply}. */
  void fallback(Reply reply) {
    this.fallback = reply;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  /** The requests carrying {@code X-Vigil-Alert-Id: alertId}. */
  List<Received> receivedFor(String alertId) {
    return received.stream().filter(r -> alertId.equals(r.header(Signatures.ALERT_ID_HEADER))).toList();
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the receiver", e);
    }
  }
}

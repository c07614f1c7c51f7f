package dev.vigil.bench.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Sends the mix to one target over TLS with HTTP/1.1 keep-alive: a bounded pool for ordinary requests (a request
 * waiting for a connection still counts from its intended time) and a separate pool for watches, which hold their
 * connection until the server ends them ({@code timeoutSeconds=1}) after the first event was timed.
 */
final class HttpSender implements Sender, AutoCloseable {

  static final long REQUEST_IDLE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(10);

  private final HttpClientAgent client;
  private final HttpClientAgent watchClient;
  private final String authorization;
  private final Buffer createBody;
  private final Context[] contexts;
  private final AtomicLong next = new AtomicLong();

  HttpSender(Vertx vertx, String caPem, String host, int port, String bearerToken, int poolSize, int watchPoolSize) {
    this.client = client(vertx, caPem, host, port, poolSize);
    this.watchClient = client(vertx, caPem, host, port, watchPoolSize);
    this.authorization = "Bearer " + bearerToken;
    this.createBody = Buffer.buffer(RequestMix.createBody());
    this.contexts = new Context[] {vertx.getOrCreateContext(), vertx.getOrCreateContext()};
  }

  private static HttpClientAgent client(Vertx vertx, String caPem, String host, int port, int poolSize) {
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))
        .setDefaultHost(host)
        .setDefaultPort(port)
        .setKeepAlive(true)
        .setPipelining(false);
    return vertx.httpClientBuilder().with(options)
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1))
        .build();
  }

  /**
   * Sends on the sender's own event-loop context: requests started from a foreign thread (the scheduler) with their
   * continuations racing the connection's event loop were seen to lose a response end and hang. Two contexts, used
   * in turn, spread the client's TLS work over two event loops.
   */
  @Override
  public Future<Integer> send(Op op) {
    Promise<Integer> reply = Promise.promise();
    Context context = contexts[(int) (next.getAndIncrement() % contexts.length)];
    context.runOnContext(v -> sendOnContext(op).onComplete(reply));
    return reply.future();
  }

  private Future<Integer> sendOnContext(Op op) {
    RequestOptions ro = new RequestOptions()
        .setMethod(op == Op.CREATE ? HttpMethod.POST : HttpMethod.GET)
        .setURI(RequestMix.uri(op))
        .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MILLIS)
        .putHeader("Authorization", authorization)
        .putHeader("Accept", "application/json");
    if (op == Op.WATCH) {
      return watchClient.request(ro).compose(req -> req.send()).compose(HttpSender::firstEvent);
    }
    if (op == Op.CREATE) {
      ro.putHeader("Content-Type", "application/json");
      return client.request(ro).compose(req -> req.send(createBody))
          .compose(resp -> resp.body().map(b -> resp.statusCode()));
    }
    return client.request(ro).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()));
  }

  /** Completes with 200 once the first event line arrived; the rest of the stream is read and dropped. */
  private static Future<Integer> firstEvent(HttpClientResponse resp) {
    if (resp.statusCode() != 200) {
      return resp.body().map(b -> resp.statusCode());
    }
    Promise<Integer> first = Promise.promise();
    resp.handler(chunk -> {
      for (int i = 0; i < chunk.length(); i++) {
        if (chunk.getByte(i) == '\n') {
          first.tryComplete(200);
          return;
        }
      }
    });
    resp.exceptionHandler(first::tryFail);
    resp.endHandler(v -> first.tryFail("the watch ended without an event"));
    return first.future();
  }

  @Override
  public void close() {
    client.close();
    watchClient.close();
  }
}

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

  static final int LANES = 2;

  private final String authorization;
  private final Buffer createBody;
  private final Lane[] lanes;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();

  /**
   * One event-loop context with its own two pools, used only from that context. A pool shared between contexts was
   * seen to lose response data and ends (requests hanging, watches never seeing their first event) when a
   * response was handed to another context than its connection's.
   */
  private record Lane(Context context, HttpClientAgent client, HttpClientAgent watchClient) {}

  /** {@code poolSize} and {@code watchPoolSize} are totals, split over {@link #LANES} lanes. */
  HttpSender(Vertx vertx, String caPem, String host, int port, String bearerToken, int poolSize, int watchPoolSize) {
    this(vertx, caPem, host, port, bearerToken, poolSize, watchPoolSize, LANES);
  }

  HttpSender(Vertx vertx, String caPem, String host, int port, String bearerToken, int poolSize, int watchPoolSize,
      int laneCount) {
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane(vertx.getOrCreateContext(),
          client(vertx, caPem, host, port, Math.max(1, poolSize / laneCount), connections),
          client(vertx, caPem, host, port, Math.max(1, watchPoolSize / laneCount), connections));
    }
    this.authorization = "Bearer " + bearerToken;
    this.createBody = Buffer.buffer(RequestMix.createBody());
  }

  private static HttpClientAgent client(Vertx vertx, String caPem, String host, int port, int poolSize,
      AtomicLong connections) {
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)))
        .setDefaultHost(host)
        .setDefaultPort(port)
        .setKeepAlive(true)
        .setPipelining(false);
    return vertx.httpClientBuilder().with(options)
        .with(new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(-1))
        .withConnectHandler(c -> connections.incrementAndGet())
        .build();
  }

  /**
   * Sends on one of the lanes, in turn (spreading the client's TLS work over two event loops), always from the lane's
   * own context: requests started from a foreign thread (the scheduler) were seen to lose a response end and hang.
   */
  @Override
  public Future<Integer> send(Op op) {
    Promise<Integer> reply = Promise.promise();
    Lane lane = lanes[(int) (next.getAndIncrement() % lanes.length)];
    lane.context().runOnContext(v -> sendOnContext(lane.client(), lane.watchClient(), op).onComplete(reply));
    return reply.future();
  }

  private Future<Integer> sendOnContext(HttpClientAgent client, HttpClientAgent watchClient, Op op) {
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

  /** Connections opened so far (both pools): keep-alive working means this stays near the pool sizes. */
  long connectionsOpened() {
    return connections.get();
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.client().close();
      lane.watchClient().close();
    }
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/** A streaming GET through the gateway (watch, followed log) whose chunks are collected as they arrive. */
final class StreamClient {

  final HttpClient client;
  final HttpClientResponse response;
  final LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();
  final AtomicBoolean ended = new AtomicBoolean();
  private final StringBuilder seen = new StringBuilder();

  private StreamClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static StreamClient open(GatewayFixture fx, int port, String uri, String token, String session) throws Exception {
    HttpClient client = fx.vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(fx.pki.caCertPem()))));
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri)
        .putHeader("Authorization", "Bearer " + token);
    if (session != null) {
      o.putHeader("X-Vigil-Session", session);
    }
    StreamClient[] holder = new StreamClient[1];
    await(client.request(o).compose(req -> req.send()).map(resp -> { // on the event loop, before any chunk is lost
      StreamClient s = new StreamClient(client, resp);
      resp.handler(b -> s.chunks.add(b.toString()));
      resp.endHandler(v -> s.ended.set(true));
      resp.exceptionHandler(err -> s.ended.set(true));
      holder[0] = s;
      return resp;
    }));
    return holder[0];
  }

  /** Everything received so far, waiting until it contains {@code needle} (or the time ran out). */
  String awaitText(String needle, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.indexOf(needle) < 0 && System.nanoTime() < deadline) {
      String c = chunks.poll(50, TimeUnit.MILLISECONDS);
      if (c != null) {
        seen.append(c);
      }
    }
    return seen.toString();
  }

  void close() throws Exception {
    await(client.close());
  }

  /** The StreamFrames recorded for the call of {@code requestId}, in order. */
  static List<StreamFrame> frames(InMemorySink sink, String requestId) {
    return sink.events().stream()
        .filter(e -> e.getRequest().getRequestId().equals(requestId) && e.getPayload() instanceof StreamFrame)
        .map(e -> (StreamFrame) e.getPayload()).toList();
  }

  /** The ResponseCompleted of {@code requestId}, waiting for it. */
  static ResponseCompleted completed(InMemorySink sink, String requestId) throws InterruptedException {
    List<VigilEvent> done = sink.await(e -> e.getRequest().getRequestId().equals(requestId)
        && e.getPayload() instanceof ResponseCompleted, 1, Duration.ofSeconds(15));
    return done.isEmpty() ? null : (ResponseCompleted) done.get(0).getPayload();
  }
}

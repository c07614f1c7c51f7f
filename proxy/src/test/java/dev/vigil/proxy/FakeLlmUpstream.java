package dev.vigil.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A test-only LLM provider on loopback (plain HTTP, as the gateway allows for loopback upstreams): it keeps every
 * request it received (method, URI, headers, body) and answers as the test scripts it — JSON, an SSE stream written
 * event by event with a delay, or a fault (silence, a reset, malformed data).
 */
public final class FakeLlmUpstream {

  /** A request the provider received. */
  public record Seen(String method, String uri, MultiMap headers, String body) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<HttpServerRequest, Buffer> script = (req, body) -> json(req, 200, "{}");

  private FakeLlmUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.add(new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          body.toString()));
      script.accept(req, body);
    }));
  }

  public static FakeLlmUpstream start(Vertx vertx) throws Exception {
    FakeLlmUpstream u = new FakeLlmUpstream(vertx);
    GatewayFixture.await(u.server.listen(0, "127.0.0.1"));
    return u;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public void clear() {
    seen.clear();
  }

  /** How the next requests are answered. */
  public void script(BiConsumer<HttpServerRequest, Buffer> s) {
    this.script = s;
  }

  public static void json(HttpServerRequest req, int status, String json) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("request-id", "req_fake_1").putHeader("set-cookie", "__cf_bm=gateway-only").end(json);
  }

  /** Starts an event stream: status 200, {@code text/event-stream}, head sent. */
  public static HttpServerResponse sseHead(HttpServerRequest req) {
    HttpServerResponse out = req.response().setStatusCode(200).setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
    out.writeHead();
    return out;
  }

  /**
   * Writes {@code wire} in pieces of {@code chunk} bytes, {@code delayMs} apart, then does {@code atEnd} (ends the
   * response, resets it, or nothing).
   */
  public void stream(HttpServerResponse out, String wire, int chunk, long delayMs, Runnable atEnd) {
    Buffer all = Buffer.buffer(wire);
    write(out, all, 0, chunk, delayMs, atEnd);
  }

  private void write(HttpServerResponse out, Buffer all, int from, int chunk, long delayMs, Runnable atEnd) {
    if (out.closed()) {
      return;
    }
    if (from >= all.length()) {
      atEnd.run();
      return;
    }
    out.write(all.getBuffer(from, Math.min(all.length(), from + chunk)));
    if (delayMs <= 0) {
      write(out, all, from + chunk, chunk, delayMs, atEnd);
    } else {
      vertx.setTimer(delayMs, id -> write(out, all, from + chunk, chunk, delayMs, atEnd));
    }
  }

  public Future<Void> close() {
    return server.close();
  }
}

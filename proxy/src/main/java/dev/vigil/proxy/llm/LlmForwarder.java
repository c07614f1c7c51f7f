package dev.vigil.proxy.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.ResponseOutcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Forwards admitted calls to one provider: the route's path under the provider's URL with the caller's query, only the
 * caller headers the provider relays ({@link LlmProvider#relays}: never {@code Authorization}, {@code x-api-key},
 * {@code Cookie}, {@code Impersonate-*}...), {@code Accept-Encoding: identity} (the gateway reads the reply), the
 * gateway's own key, and the exact request body. The reply is relayed as it arrives: an event stream by
 * {@link SseRelay}, anything else by {@link PlainRelay}. Connecting is bounded by the connect timeout; the call fails
 * when nothing arrives from the provider for {@code stream-idle-timeout} (before the answer: 504).
 */
final class LlmForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(LlmForwarder.class);
  /** Connections per provider; further calls wait (at most the connect timeout) for one. */
  static final int MAX_CONNECTIONS = 128;
  /** Response headers never relayed: hop-by-hop, cookies for the gateway's client, the gateway's account ids. */
  private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
      "upgrade", "te", "trailer", "set-cookie", "anthropic-organization-id", "openai-organization", "openai-project");

  private final LlmConfig.Upstream upstream;
  private final LlmProvider provider;
  private final LlmConfig config;
  private final LlmGateway gateway;
  private final HttpClient client;
  private final long connectTimeoutMillis;

  LlmForwarder(Vertx vertx, LlmConfig.Upstream upstream, LlmConfig config, LlmGateway gateway, Duration connectTimeout) {
    this.upstream = upstream;
    this.provider = LlmProvider.forId(upstream.provider());
    this.config = config;
    this.gateway = gateway;
    this.connectTimeoutMillis = connectTimeout.toMillis();
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(upstream.ssl()).setVerifyHost(true)
            .setForceSni(upstream.ssl() && !isIpLiteral(upstream.url().getHost())) // providers sit behind CDNs
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis)))
        .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(10_000))
        .build();
  }

  void forward(HttpServerRequest req, LlmCall call, LlmRoutes.Route route, Buffer body, LlmAnswer answer) {
    CallerWatch watch = new CallerWatch(req.response());
    String query = req.query();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(route.method()))
        .setHost(upstream.url().getHost())
        .setPort(upstream.port())
        .setSsl(upstream.ssl())
        .setURI(upstream.basePath() + route.upstreamPath() + (query == null || query.isEmpty() ? "" : "?" + query))
        .setConnectTimeout(connectTimeoutMillis)
        .setIdleTimeout(config.streamIdleTimeout().toMillis());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : req.headers()) {
      if (provider.relays(h.getKey())) {
        headers.add(h.getKey(), h.getValue());
      }
    }
    headers.set(HttpHeaders.ACCEPT_ENCODING, "identity");
    provider.authorize(headers, upstream.key().value());
    options.setHeaders(headers);
    client.request(options).compose(upstreamRequest -> {
      if (watch.gone()) {
        upstreamRequest.reset();
        return Future.<HttpClientResponse>failedFuture(new IllegalStateException("the caller went away"));
      }
      watch.onGone(upstreamRequest::reset);
      // failures reach the relay through the response future and the response's exception handler; this one only
      // keeps Vert.x from reporting each of them a second time as unhandled
      upstreamRequest.exceptionHandler(err -> LOG.debug("LLM call {}: upstream request failed: {}", call.requestId(),
          err.toString()));
      return body == null ? upstreamRequest.send() : upstreamRequest.send(body);
    }).onComplete(ar -> {
      if (ar.succeeded() && !watch.gone()) {
        relay(req, call, ar.result(), watch, answer);
      } else if (watch.gone()) {
        if (ar.succeeded()) {
          ar.result().request().reset();
        }
        call.completed(499, MultiMap.caseInsensitiveMultiMap(), Map.of(), null, 0, 0,
            ResponseOutcome.CLIENT_DISCONNECTED);
      } else {
        answer.upstreamFailed(gateway.classify(ar.cause()), provider.id(), hostPort());
      }
    });
  }

  private void relay(HttpServerRequest req, LlmCall call, HttpClientResponse resp, CallerWatch watch, LlmAnswer answer) {
    if (isEventStream(resp)) {
      new SseRelay(req, call, provider, resp, watch, gateway, config).start();
    } else {
      new PlainRelay(req, call, provider, resp, watch, answer, gateway, config, hostPort()).start();
    }
  }

  /** A successful, uncompressed {@code text/event-stream} reply: relayed and recorded event by event. */
  static boolean isEventStream(HttpClientResponse resp) {
    String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
    String encoding = resp.getHeader(HttpHeaders.CONTENT_ENCODING);
    return resp.statusCode() / 100 == 2 && type != null
        && type.strip().toLowerCase(Locale.ROOT).startsWith("text/event-stream")
        && (encoding == null || encoding.strip().equalsIgnoreCase("identity"));
  }

  /** The provider's response headers the caller gets (see {@link #DROPPED}, and those its Connection names). */
  static void copyResponseHeaders(MultiMap from, MultiMap to) {
    Set<String> named = new java.util.HashSet<>();
    for (String v : from.getAll(HttpHeaders.CONNECTION)) {
      for (String token : v.split(",")) {
        named.add(token.strip().toLowerCase(Locale.ROOT));
      }
    }
    for (Map.Entry<String, String> h : from) {
      String n = h.getKey().toLowerCase(Locale.ROOT);
      if (!DROPPED.contains(n) && !named.contains(n)) {
        to.add(h.getKey(), h.getValue());
      }
    }
  }

  /** SNI carries host names only, never an IP address literal. */
  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.startsWith("[") || host.matches("[0-9.]+");
  }

  private String hostPort() {
    return upstream.url().getHost() + ":" + upstream.port();
  }

  Future<Void> close() {
    return client.close();
  }
}

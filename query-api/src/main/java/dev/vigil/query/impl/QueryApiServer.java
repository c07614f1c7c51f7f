package dev.vigil.query.impl;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.OpenSearchClients;
import dev.vigil.indexer.OpenSearchReachability;
import dev.vigil.ops.Readiness;
import dev.vigil.query.QueryApi;
import dev.vigil.query.QueryApiConfig;

/** The Vert.x implementation of {@link QueryApi}: the router, the listener and their lifecycle. */
public final class QueryApiServer implements QueryApi {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApiServer.class);
  private static final Duration OPENSEARCH_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final QueryApiConfig config;
  private final TokenAuthenticator authenticator;
  private final OpenSearchTransport transport;
  private final Backend backend;
  private final Readiness readiness;
  private HttpServer server;

  private QueryApiServer(Vertx vertx, QueryApiConfig config, TokenAuthenticator authenticator, OpenSearchTransport transport) {
    this.vertx = vertx;
    this.config = config;
    this.authenticator = authenticator;
    this.transport = transport;
    this.readiness = new Readiness(List.of(new OpenSearchReachability(config.openSearchUrl(), config.openSearchUsername(),
        config.openSearchPassword(), Readiness.DEFAULT_TIMEOUT)));
    this.backend = Backend.create(config, new Store(vertx, new OpenSearchAsyncClient(transport)));
  }

  public static Future<QueryApi> start(Vertx vertx, QueryApiConfig config) {
    LOG.info("Starting query API: {}", config);
    return TokenAuthenticator.create(vertx, config)
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "OIDC discovery of " + config.oidcIssuer() + " failed: " + e.getMessage(), e)))
        .compose(auth -> {
          OpenSearchTransport transport;
          try {
            transport = OpenSearchClients.transport(config.openSearchUrl(), config.openSearchUsername(),
                config.openSearchPassword(), OPENSEARCH_RESPONSE_TIMEOUT);
          } catch (RuntimeException e) {
            auth.close();
            return Future.failedFuture(e);
          }
          QueryApiServer api = new QueryApiServer(vertx, config, auth, transport);
          return api.listen().<QueryApi>map(api).recover(e -> api.close().transform(ignored -> Future.failedFuture(e)));
        });
  }

  private Future<HttpServer> listen() {
    Router router = Router.router(vertx);
    router.route().handler(Requests::assignRequestId);
    router.route().handler(Requests::securityHeaders); // the UI's routes replace them with the page's own
    router.route().handler(QueryMetrics::time);
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(this::ready);
    // the API's description is public; everything else under /api needs a bearer token
    router.get("/api/openapi.json").handler(new OpenApiHandler()::serve);
    router.route("/api/*").handler(this::authenticate);
    ApiRouter.mount(router, backend);

    UiRoutes.mount(router); // the analyst UI: GET / and /ui/* (static files, CSP headers), no token needed

    Errors.install(router);
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tlsCertFile().toString())
          .setKeyPath(config.tlsKeyFile().toString()));
    }
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .invalidRequestHandler(InvalidRequests::handle)
        .listen()
        .onSuccess(s -> {
          this.server = s;
          LOG.info("Query API listening on {}://{}:{}", config.tls() ? "https" : "http", config.host(), s.actualPort());
        });
  }

  @Override
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<Void> close() {
    Future<Void> stop = server == null ? Future.succeededFuture() : server.close();
    return stop.andThen(ignored -> {
      authenticator.close();
      readiness.close();
      try {
        transport.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing OpenSearch transport", e);
      }
    });
  }

  /** {@code GET /readyz}: 200 when OpenSearch answers and is not red (cached a few seconds), else 503. */
  private void ready(RoutingContext ctx) {
    readiness.evaluate(vertx).onComplete(ar -> {
      JsonObject answer = ar.succeeded() ? ar.result()
          : new JsonObject().put("status", "not-ready").put("error", String.valueOf(ar.cause()));
      ctx.response().setStatusCode(Readiness.isReady(answer) ? 200 : 503);
      ctx.json(answer);
    });
  }

  /** Any valid token may call the API; what it may read is decided per request ({@link Access}). */
  private void authenticate(RoutingContext ctx) {
    authenticator.authenticate(ctx.request().getHeader("Authorization")).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Requests.setAccess(ctx, Access.of(ar.result(), config.analystGroup()));
      ctx.next();
    });
  }
}

package dev.vigil.query.impl;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.transport.OpenSearchTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.indexer.OpenSearchClients;
import dev.vigil.query.QueryApi;
import dev.vigil.query.QueryApiConfig;

/** The Vert.x implementation of {@link QueryApi}. */
public final class QueryApiServer implements QueryApi {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApiServer.class);
  /** Who searched what: one line per query, never the token. */
  private static final Logger AUDIT = LoggerFactory.getLogger("dev.vigil.query.audit");
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final String REQUEST_ID = "vigil.requestId";
  private static final String CALLER = "vigil.caller";
  private static final Duration OPENSEARCH_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final QueryApiConfig config;
  private final TokenAuthenticator authenticator;
  private final OpenSearchTransport transport;
  private final OpenSearchAsyncClient client;
  private HttpServer server;

  private QueryApiServer(Vertx vertx, QueryApiConfig config, TokenAuthenticator authenticator, OpenSearchTransport transport) {
    this.vertx = vertx;
    this.config = config;
    this.authenticator = authenticator;
    this.transport = transport;
    this.client = new OpenSearchAsyncClient(transport);
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
    router.route().handler(this::assignRequestId);
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    UiRoutes.mount(router); // the analyst UI: GET / and /ui/* (static files, CSP headers), no token needed
    router.route("/api/*").handler(this::authenticate);
    router.get("/api/v1/events").handler(this::searchEvents);
    router.get("/api/v1/sessions/:sessionKey/events").handler(this::sessionEvents);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> sendError(ctx, ApiException.notFound("No such resource: " + ctx.request().path())));
    router.errorHandler(405, ctx -> sendError(ctx,
        new ApiException(405, "method_not_allowed", "Method " + ctx.request().method() + " not allowed here")));
    router.errorHandler(500, ctx -> sendError(ctx, ApiException.internal("Internal error")));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.tls()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tlsCertFile().toString())
          .setKeyPath(config.tlsKeyFile().toString()));
    }
    return vertx.createHttpServer(options)
        .requestHandler(router)
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
      try {
        transport.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing OpenSearch transport", e);
      }
    });
  }

  // --- handlers ---------------------------------------------------------------------------------------------------

  private void assignRequestId(RoutingContext ctx) {
    String given = ctx.request().getHeader("X-Request-Id");
    String id = given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader("X-Request-Id", id);
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    authenticator.authenticate(ctx.request().getHeader("Authorization")).onComplete(ar -> {
      if (ar.failed()) {
        AUDIT.info("unauthenticated requestId={} path={} reason={}", requestId(ctx), ctx.request().path(),
            ar.cause().getMessage());
        ctx.fail(ar.cause());
        return;
      }
      Caller caller = ar.result();
      if (!caller.groups().contains(config.analystGroup())) {
        AUDIT.info("denied requestId={} subject={} username={} path={} reason=not-in-group:{}", requestId(ctx),
            caller.subject(), caller.username(), ctx.request().path(), config.analystGroup());
        ctx.fail(ApiException.forbidden("Caller is not in the " + config.analystGroup() + " group"));
        return;
      }
      ctx.put(CALLER, caller);
      ctx.next();
    });
  }

  private void searchEvents(RoutingContext ctx) {
    EventQuery query = EventQuery.parse(params(ctx.queryParams()));
    SearchRequest request = EventSearch.searchRequest(config.indexPattern(), query);
    search(request).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      SearchResponse<ObjectNode> r = ar.result();
      long total = EventSearch.total(r);
      audit(ctx, "search", query.describe(), total);
      ctx.json(new JsonObject().put("total", total).put("events", EventSearch.events(r)));
    });
  }

  private void sessionEvents(RoutingContext ctx) {
    SessionQuery query = SessionQuery.parse(ctx.pathParam("sessionKey"), params(ctx.queryParams()));
    search(EventSearch.sessionRequest(config.indexPattern(), query)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      SearchResponse<ObjectNode> r = ar.result();
      long total = EventSearch.total(r);
      Map<String, Object> filters = new LinkedHashMap<>();
      filters.put("sessionKey", query.sessionKey());
      filters.put("size", query.size());
      audit(ctx, "session", filters, total);
      if (r.hits().hits().isEmpty()) {
        ctx.fail(ApiException.notFound("No events for session " + query.sessionKey()));
        return;
      }
      ctx.json(new JsonObject().put("sessionKey", query.sessionKey()).put("total", total).put("events", EventSearch.events(r)));
    });
  }

  private Future<SearchResponse<ObjectNode>> search(SearchRequest request) {
    CompletableFuture<SearchResponse<ObjectNode>> cf;
    try {
      cf = client.search(request, ObjectNode.class);
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(cf, vertx.getOrCreateContext()).recover(e -> Future.failedFuture(translate(e)));
  }

  /** OpenSearch failures → API errors; "no index yet" is not an error (callers get empty results). */
  private Throwable translate(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
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

  private void audit(RoutingContext ctx, String what, Map<String, Object> filters, long total) {
    Caller caller = ctx.get(CALLER);
    AUDIT.info("{} requestId={} subject={} username={} filters={} total={}", what, requestId(ctx),
        caller == null ? "-" : caller.subject(), caller == null ? "-" : caller.username(), new JsonObject(filters).encode(), total);
  }

  private void failure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ApiException api) {
      sendError(ctx, api);
    } else if (f == null) {
      int status = ctx.statusCode();
      sendError(ctx, switch (status) {
        case 400 -> ApiException.badRequest("Bad request");
        case 401 -> ApiException.unauthorized("Unauthorized");
        case 403 -> ApiException.forbidden("Forbidden");
        case 404 -> ApiException.notFound("No such resource: " + ctx.request().path());
        case 405 -> new ApiException(405, "method_not_allowed", "Method not allowed");
        default -> ApiException.internal("Internal error");
      });
    } else {
      LOG.error("Request {} {} failed (requestId={})", ctx.request().method(), ctx.request().path(), requestId(ctx), f);
      sendError(ctx, ApiException.internal("Internal error"));
    }
  }

  private void sendError(RoutingContext ctx, ApiException e) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    String id = requestId(ctx);
    ctx.response()
        .setStatusCode(e.status())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Request-Id", id);
    if (e.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().end(new JsonObject()
        .put("error", new JsonObject().put("code", e.code()).put("message", e.getMessage()).put("requestId", id))
        .encode());
  }

  private static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    if (id == null) {
      id = UUID.randomUUID().toString();
      ctx.put(REQUEST_ID, id);
    }
    return id;
  }

  private static Map<String, List<String>> params(MultiMap multi) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : multi.names()) {
      out.put(name, multi.getAll(name));
    }
    return out;
  }
}

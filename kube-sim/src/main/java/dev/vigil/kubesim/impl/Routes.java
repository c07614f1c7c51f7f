package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.kubesim.PodLogs;
import dev.vigil.kubesim.store.ObjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface: recording, auth, health, discovery, openapi, resources. */
final class Routes {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final long MAX_BODY = 16L * 1024 * 1024;

  private final Vertx vertx;
  private final KubeSimOptions options;
  private final RequestRecorder recorder;
  private final Discovery discovery;
  private final ResourceHandler resources;
  private final OpenApi openApi;
  private final List<byte[]> tokens;

  Routes(Vertx vertx, ObjectStore store, PodLogs logs, RequestRecorder recorder, OpenStreams streams,
      ExecSessions sessions, KubeSimOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.recorder = recorder;
    this.discovery = new Discovery(store.registry());
    PodLogHandler logHandler = new PodLogHandler(vertx, store, logs, streams, options.getLogFollowInterval());
    this.resources = new ResourceHandler(store, new WatchHandler(vertx, store, streams),
        new Subresources(store, logHandler,
            new RemoteCommandHandler(vertx, store, logs, sessions, streams, options.getLogFollowInterval()),
            new PortForwardHandler(vertx, store, streams)));
    this.openApi = new OpenApi(store.registry());
    this.tokens = options.getTokens().stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::recordAndAuthenticate);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
    for (HttpMethod m : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
      router.route().method(m).handler(body);
    }
    for (String health : List.of("/healthz", "/livez", "/readyz")) {
      router.get(health).handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("ok"));
    }
    router.get("/version").handler(ctx -> Responses.json(ctx, 200, Discovery.version()));
    router.get("/api").handler(ctx -> Responses.json(ctx, 200,
        discovery.coreVersions(ctx.request().authority() == null ? options.getHost()
            : ctx.request().authority().toString())));
    router.get("/apis").handler(ctx -> Responses.json(ctx, 200, discovery.groupList()));
    router.getWithRegex("/apis/([^/]+)/?").handler(ctx -> {
      ObjectNode g = discovery.group(ctx.pathParam("param0"));
      if (g == null) {
        Responses.error(ctx, Responses.notFoundPath());
      } else {
        Responses.json(ctx, 200, g);
      }
    });
    router.route("/openapi/*").handler(openApi::handle);
    router.route("/openapi").handler(openApi::handle);
    router.route().handler(this::api);
    return router;
  }

  private void recordAndAuthenticate(RoutingContext ctx) {
    recorder.record(ctx.request());
    if (options.isLogRequests()) {
      ctx.addEndHandler(ar -> LOG.info("kube-sim {} {} -> {}", ctx.request().method(), ctx.request().uri(),
          ctx.response().getStatusCode()));
    }
    String path = ctx.request().path();
    if (tokens.isEmpty() || path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
      ctx.next();
      return;
    }
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
      for (byte[] t : tokens) {
        if (MessageDigest.isEqual(t, presented)) {
          ctx.next();
          return;
        }
      }
    }
    Responses.error(ctx, 401, "Unauthorized", "Unauthorized");
  }

  private void api(RoutingContext ctx) {
    ApiPath p = ApiPath.parse(ctx.request().path());
    if (p == null) {
      Responses.error(ctx, Responses.notFoundPath());
      return;
    }
    if (p.resource() == null) {
      ObjectNode list = ctx.request().method() == HttpMethod.GET ? discovery.resourceList(p.group(), p.version()) : null;
      if (list == null) {
        Responses.error(ctx, Responses.notFoundPath());
      } else {
        Responses.json(ctx, 200, list);
      }
      return;
    }
    resources.handle(ctx, p);
  }
}

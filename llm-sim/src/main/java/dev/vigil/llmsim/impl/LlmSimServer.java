package dev.vigil.llmsim.impl;

import dev.vigil.llmsim.LlmSim;
import dev.vigil.llmsim.LlmSimOptions;
import dev.vigil.llmsim.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Vert.x HTTP server behind {@link LlmSim}: recording, routing by path, and the provider of each request. */
public final class LlmSimServer implements LlmSim {

  private static final Logger LOG = LoggerFactory.getLogger(LlmSimServer.class);

  private final LlmSimOptions options;
  private final RequestRecorder recorder;
  private HttpServer server;

  private LlmSimServer(LlmSimOptions options) {
    this.options = options;
    this.recorder = new RequestRecorder(options.getMaxRecordedRequests());
  }

  /** Starts the simulator (see {@link LlmSim#start}). */
  public static Future<LlmSim> start(Vertx vertx, LlmSimOptions options) {
    LlmSimServer sim = new LlmSimServer(options);
    Endpoints endpoints = new Endpoints(vertx, options);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      if (options.isLogRequests()) {
        ctx.addHeadersEndHandler(v -> LOG.info("llm-sim {} {} -> {}", ctx.request().method(), ctx.request().path(),
            ctx.response().getStatusCode()));
      }
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.getMaxRequestBodyBytes()));
    router.route().handler(ctx -> {
      sim.recorder.record(ctx.request(), ctx.body().asString());
      sim.route(ctx, endpoints);
    });
    router.route().failureHandler(ctx -> {
      if (ctx.statusCode() == 413) {
        sim.recorder.record(ctx.request(), "");
        endpoints.error(ctx, isAnthropic(ctx.request()), new ApiException(413, "request_too_large",
            "Request exceeds the maximum allowed number of bytes."));
      } else {
        LOG.warn("llm-sim failed on {} {}: {}", ctx.request().method(), ctx.request().path(),
            ctx.failure() == null ? "status " + ctx.statusCode() : ctx.failure().toString());
        endpoints.error(ctx, isAnthropic(ctx.request()), new ApiException(500, "api_error", "Internal server error"));
      }
    });
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort());
    if (options.isTls()) {
      http.setSsl(true).setKeyCertOptions(options.getKeyCert());
    }
    return vertx.createHttpServer(http).requestHandler(router).listen().map(s -> {
      sim.server = s;
      LOG.warn("llm-sim listening on {} — an LLM API SIMULATOR with a scripted model (no language model) for tests "
          + "and demos; never use it in production ({})", sim.url(), options);
      return sim;
    });
  }

  private void route(RoutingContext ctx, Endpoints endpoints) {
    HttpServerRequest req = ctx.request();
    String path = req.path();
    boolean post = req.method() == HttpMethod.POST;
    boolean get = req.method() == HttpMethod.GET;
    switch (path) {
      case "/v1/messages":
        ifMethod(ctx, endpoints, post, true, () -> endpoints.anthropic(ctx, false));
        return;
      case "/v1/messages/count_tokens":
        ifMethod(ctx, endpoints, post, true, () -> endpoints.anthropic(ctx, true));
        return;
      case "/v1/chat/completions":
        ifMethod(ctx, endpoints, post, false, () -> endpoints.openAi(ctx));
        return;
      case "/v1/models":
        ifMethod(ctx, endpoints, get, isAnthropic(req), () -> endpoints.models(ctx, isAnthropic(req), null));
        return;
      default:
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
          String id = path.substring("/v1/models/".length());
          ifMethod(ctx, endpoints, get, isAnthropic(req), () -> endpoints.models(ctx, isAnthropic(req), id));
          return;
        }
        endpoints.error(ctx, isAnthropic(req), new ApiException(404, "not_found_error", "Not found: " + path));
    }
  }

  private static void ifMethod(RoutingContext ctx, Endpoints endpoints, boolean allowed, boolean anthropic,
      Runnable handler) {
    if (allowed) {
      handler.run();
    } else {
      endpoints.error(ctx, anthropic, new ApiException(405, "invalid_request_error",
          "Method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    }
  }

  /**
   * Which dialect a request speaks where the path does not say ({@code /v1/models}, unknown paths): Anthropic when it
   * carries {@code anthropic-version} or {@code x-api-key}, else OpenAI.
   */
  static boolean isAnthropic(HttpServerRequest req) {
    String path = req.path();
    return path.startsWith("/v1/messages") || (!path.startsWith("/v1/chat/")
        && (req.headers().contains("anthropic-version") || req.headers().contains("x-api-key")));
  }

  @Override
  public int port() {
    return server.actualPort();
  }

  @Override
  public String url() {
    return (options.isTls() ? "https://" : "http://") + options.getHost() + ":" + port();
  }

  @Override
  public List<RecordedRequest> requests() {
    return recorder.snapshot();
  }

  @Override
  public void clearRequests() {
    recorder.clear();
  }

  @Override
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}

package dev.vigil.kubesim.impl;

import dev.vigil.kubesim.DemoSeed;
import dev.vigil.kubesim.KubeSim;
import dev.vigil.kubesim.KubeSimOptions;
import dev.vigil.kubesim.PodLogs;
import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Vert.x HTTP server behind {@link KubeSim}. */
public final class KubeSimServer implements KubeSim {

  private static final Logger LOG = LoggerFactory.getLogger(KubeSimServer.class);

  private final KubeSimOptions options;
  private final ObjectStore store;
  private final PodLogs podLogs = new PodLogs();
  private final RequestRecorder recorder;
  private final OpenStreams streams = new OpenStreams();
  private final ExecSessions sessions = new ExecSessions();
  private HttpServer server;

  private KubeSimServer(KubeSimOptions options) {
    this.options = options;
    this.store = new ObjectStore(ResourceRegistry.builtin(), options.isSimulateControllers());
    this.recorder = new RequestRecorder(options.getMaxRecordedRequests());
  }

  /** Starts the simulator (see {@link KubeSim#start}). */
  public static Future<KubeSim> start(Vertx vertx, KubeSimOptions options) {
    KubeSimServer sim = new KubeSimServer(options);
    if (options.isSeedDemo()) {
      DemoSeed.apply(sim.store);
    }
    Router router = new Routes(vertx, sim.store, sim.podLogs, sim.recorder, sim.streams, sim.sessions, options)
        .router();
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())
        // exec/attach/port-forward: the handlers narrow the offer to one of these before upgrading
        .setWebSocketSubProtocols(List.of(Upgrades.V5, Upgrades.V4, Upgrades.SPDY_TUNNEL, Upgrades.PORT_FORWARD))
        .setMaxWebSocketFrameSize(1024 * 1024).setMaxWebSocketMessageSize(4 * 1024 * 1024);
    if (options.isTls()) {
      http.setSsl(true).setKeyCertOptions(options.getKeyCert());
    }
    return vertx.createHttpServer(http).requestHandler(router).listen().map(s -> {
      sim.server = s;
      LOG.warn("kube-sim listening on {} — a Kubernetes API server SIMULATOR for tests and demos; "
          + "never use it in production ({})", sim.url(), options);
      return sim;
    });
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
  public ObjectStore store() {
    return store;
  }

  @Override
  public PodLogs podLogs() {
    return podLogs;
  }

  @Override
  public List<RecordedRequest> requests() {
    return recorder.snapshot();
  }

  @Override
  public void clearRequests() {
    recorder.clear();
  }

  /** Watches, followed logs and exec/attach/port-forward sessions currently open (for tests). */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public Future<Void> close() {
    streams.closeAll();
    sessions.shutdown();
    return server == null ? Future.succeededFuture() : server.close();
  }
}

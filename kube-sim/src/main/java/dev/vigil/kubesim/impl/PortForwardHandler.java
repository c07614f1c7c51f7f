package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.exec.ExecLimits;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pods/portforward} over WebSocket: kubectl's SPDY tunnel ({@code SPDY/3.1+portforward.k8s.io},
 * {@link SpdyPortForward}) or the plain channel protocol ({@link ChannelPortForward}). SPDY
 * upgrades get a 400 {@code Status}. A forwarding session lasts at most {@link ExecLimits#MAX_SESSION}.
 */
final class PortForwardHandler {

  private static final Logger LOG = LoggerFactory.getLogger(PortForwardHandler.class);
  private static final List<String> PROTOCOLS = List.of(Upgrades.SPDY_TUNNEL, Upgrades.V4, Upgrades.PORT_FORWARD);

  private final Vertx vertx;
  private final ObjectStore store;
  private final OpenStreams streams;

  PortForwardHandler(Vertx vertx, ObjectStore store, OpenStreams streams) {
    this.vertx = vertx;
    this.store = store;
    this.streams = streams;
  }

  void handle(RoutingContext ctx, String namespace, String name) {
    HttpServerRequest req = ctx.request();
    ObjectNode pod = Upgrades.runningPod(store, namespace, name);
    String protocol = Upgrades.negotiate(req, PROTOCOLS, "port-forward");
    boolean tunnel = protocol.equals(Upgrades.SPDY_TUNNEL);
    List<Integer> ports = tunnel ? List.of() : ports(req);
    Upgrades.choose(req, protocol);
    req.toWebSocket().onSuccess(ws -> start(ws, pod, name, tunnel, ports))
        .onFailure(e -> LOG.debug("kube-sim port-forward upgrade failed: {}", e.toString()));
  }

  private void start(ServerWebSocket ws, ObjectNode pod, String name, boolean tunnel, List<Integer> ports) {
    Runnable closer = () -> ws.close((short) 1001, "kube-sim is shutting down");
    streams.add(closer);
    long timer = vertx.setTimer(ExecLimits.MAX_SESSION.toMillis(), id -> ws.close((short) 1000));
    Runnable onClose = () -> {
      streams.remove(closer);
      vertx.cancelTimer(timer);
    };
    if (tunnel) {
      new SpdyPortForward(ws, pod, name).start(onClose);
    } else {
      new ChannelPortForward(ws, pod, name, ports).start(onClose);
    }
  }

  /** {@code ports} (API server) or {@code port} (kubelet) query values, comma-separated or repeated. */
  static List<Integer> ports(HttpServerRequest req) {
    List<String> raw = new ArrayList<>(req.params().getAll("ports"));
    raw.addAll(req.params().getAll("port"));
    List<Integer> ports = new ArrayList<>();
    for (String r : raw) {
      for (String p : r.split(",")) {
        try {
          int port = Integer.parseInt(p.trim());
          if (port < 1 || port > 65535) {
            throw new NumberFormatException();
          }
          ports.add(port);
        } catch (NumberFormatException e) {
          throw StatusException.badRequest("invalid port \"" + p.trim() + "\": must be between 1 and 65535");
        }
      }
    }
    if (ports.isEmpty()) {
      throw StatusException.badRequest("query parameter \"ports\" is required");
    }
    return ports;
  }
}

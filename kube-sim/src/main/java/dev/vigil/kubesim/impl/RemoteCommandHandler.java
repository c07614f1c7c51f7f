package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.PodLogs;
import dev.vigil.kubesim.exec.ExecLimits;
import dev.vigil.kubesim.exec.MainProcess;
import dev.vigil.kubesim.exec.PretendContainer;
import dev.vigil.kubesim.exec.PretendShell;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pods/exec} and {@code pods/attach} over WebSocket ({@code v5.channel.k8s.io}, then
 * {@code v4.channel.k8s.io}): validates like the API server, upgrades, and runs the
 * {@link PretendShell} (exec) or the {@link MainProcess} (attach) on a session thread.
 */
final class RemoteCommandHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandHandler.class);
  private static final List<String> PROTOCOLS = List.of(Upgrades.V5, Upgrades.V4);

  private final Vertx vertx;
  private final ObjectStore store;
  private final PodLogs logs;
  private final ExecSessions sessions;
  private final OpenStreams streams;
  private final Duration heartbeat;

  RemoteCommandHandler(Vertx vertx, ObjectStore store, PodLogs logs, ExecSessions sessions, OpenStreams streams,
      Duration heartbeat) {
    this.vertx = vertx;
    this.store = store;
    this.logs = logs;
    this.sessions = sessions;
    this.streams = streams;
    this.heartbeat = heartbeat;
  }

  void handle(RoutingContext ctx, String namespace, String name, boolean exec) {
    HttpServerRequest req = ctx.request();
    ObjectNode pod = Upgrades.runningPod(store, namespace, name);
    String container = PodLogHandler.container(pod, req.getParam("container"), name);
    List<String> command = exec ? req.params().getAll("command") : List.of();
    if (exec && command.isEmpty()) {
      throw StatusException.badRequest("you must specify at least 1 command");
    }
    ChannelWebSocket.Streams wanted = new ChannelWebSocket.Streams(Upgrades.flag(req, "stdin"),
        Upgrades.flag(req, "stdout"), Upgrades.flag(req, "stderr"), Upgrades.flag(req, "tty"));
    if (!wanted.stdin() && !wanted.stdout() && !wanted.stderr()) {
      throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
    sessions.checkCapacity();
    String protocol = Upgrades.negotiate(req, PROTOCOLS, exec ? "exec" : "attach");
    PretendContainer target = PretendContainer.of(store, pod, container);
    Upgrades.choose(req, protocol);
    Context context = vertx.getOrCreateContext();
    req.toWebSocket().onSuccess(ws -> start(context, ws, protocol, wanted, target, command, exec))
        .onFailure(e -> LOG.debug("kube-sim {} upgrade failed: {}", exec ? "exec" : "attach", e.toString()));
  }

  private void start(Context context, ServerWebSocket ws, String protocol, ChannelWebSocket.Streams wanted,
      PretendContainer target, List<String> command, boolean exec) {
    ChannelWebSocket channel = new ChannelWebSocket(context, ws, protocol, wanted);
    AtomicReference<Future<?>> task = new AtomicReference<>();
    long[] timers = {-1, -1};
    Runnable closer = () -> ws.close((short) 1001, "kube-sim is shutting down");
    Runnable cleanup = () -> {
      streams.remove(closer);
      vertx.cancelTimer(timers[0]);
      vertx.cancelTimer(timers[1]);
      Future<?> t = task.get();
      if (t != null) {
        t.cancel(true);
      }
    };
    channel.start(cleanup);
    streams.add(closer);
    timers[0] = vertx.setTimer(ExecLimits.MAX_SESSION.toMillis(), id -> {
      Future<?> t = task.get();
      if (t != null) {
        t.cancel(true); // the pretend process sees an interrupt and ends with 137
      }
    });
    if (!exec && wanted.stdout()) {
      AtomicLong n = new AtomicLong();
      timers[1] = vertx.setPeriodic(Math.max(10, heartbeat.toMillis()), id -> channel.out(
          logs.followLine(target.namespace(), target.pod(), target.container(), n.incrementAndGet()) + "\n"));
    }
    try {
      task.set(sessions.submit(() -> {
        int code = exec ? new PretendShell(target, channel).exec(command) : new MainProcess(target, channel).run();
        channel.finish(code, exec ? command : List.of("attach"));
      }));
    } catch (StatusException e) {
      channel.err(e.getMessage() + "\n");
      channel.finish(1, command);
    }
  }
}

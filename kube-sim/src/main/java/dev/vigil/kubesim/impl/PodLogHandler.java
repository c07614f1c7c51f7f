package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.PodLogs;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** {@code GET pods/{name}/log}: text/plain; {@code follow=true} streams a line per interval. */
final class PodLogHandler {

  private final Vertx vertx;
  private final ObjectStore store;
  private final PodLogs logs;
  private final OpenStreams streams;
  private final Duration interval;

  PodLogHandler(Vertx vertx, ObjectStore store, PodLogs logs, OpenStreams streams, Duration interval) {
    this.vertx = vertx;
    this.store = store;
    this.logs = logs;
    this.streams = streams;
    this.interval = interval;
  }

  void handle(RoutingContext ctx, String namespace, String name) {
    ResourceType pods = store.registry().require("pods");
    ObjectNode pod = store.get(pods, namespace, name).orElseThrow(() -> StatusException.notFound(pods, name));
    String container = container(pod, ctx.request().getParam("container"), name);
    List<String> lines = logs.get(namespace, name, container);
    String tail = ctx.request().getParam("tailLines");
    if (tail != null) {
      try {
        int n = Math.max(0, Integer.parseInt(tail));
        lines = lines.subList(Math.max(0, lines.size() - n), lines.size());
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid tailLines: " + tail);
      }
    }
    HttpServerResponse resp = ctx.response().putHeader("Content-Type", "text/plain").setStatusCode(200);
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    String follow = ctx.request().getParam("follow");
    if (!"true".equals(follow) && !"1".equals(follow)) {
      resp.end(sb.toString());
      return;
    }
    resp.setChunked(true);
    resp.write(sb.toString());
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong n = new AtomicLong();
    long[] timer = new long[1];
    Runnable finish = new Runnable() {
      @Override
      public void run() {
        if (done.compareAndSet(false, true)) {
          vertx.cancelTimer(timer[0]);
          streams.remove(this);
          if (!resp.ended() && !resp.closed()) {
            resp.end();
          }
        }
      }
    };
    streams.add(finish);
    resp.closeHandler(v -> finish.run());
    timer[0] = vertx.setPeriodic(Math.max(10, interval.toMillis()), id -> {
      if (store.get(pods, namespace, name).isEmpty()) {
        finish.run();
        return;
      }
      if (!done.get() && !resp.closed()) {
        resp.write(logs.followLine(namespace, name, container, n.incrementAndGet()) + "\n");
      }
    });
  }

  /** The requested container (400 if the pod has no such container) or the default one. */
  static String container(ObjectNode pod, String requested, String podName) {
    List<String> names = new ArrayList<>();
    for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
      for (JsonNode c : pod.path("spec").path(list)) {
        names.add(c.path("name").asText());
      }
    }
    if (requested != null && !requested.isEmpty()) {
      if (!names.contains(requested)) {
        throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
      }
      return requested;
    }
    String annotated = Json.textAt(pod, "metadata", "annotations", "kubectl.kubernetes.io/default-container");
    if (annotated != null && names.contains(annotated)) {
      return annotated;
    }
    if (names.isEmpty()) {
      throw StatusException.badRequest("pod " + podName + " has no containers");
    }
    return names.get(0);
  }
}

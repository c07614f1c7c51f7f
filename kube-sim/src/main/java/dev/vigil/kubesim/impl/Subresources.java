package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The subresources: {@code status}, {@code scale}, {@code log}, {@code exec}, {@code attach}, {@code portforward}. */
final class Subresources {

  private final ObjectStore store;
  private final PodLogHandler logs;
  private final RemoteCommandHandler remoteCommands;
  private final PortForwardHandler portForward;

  Subresources(ObjectStore store, PodLogHandler logs, RemoteCommandHandler remoteCommands,
      PortForwardHandler portForward) {
    this.store = store;
    this.logs = logs;
    this.remoteCommands = remoteCommands;
    this.portForward = portForward;
  }

  void handle(RoutingContext ctx, ApiPath p, ResourceType type) {
    String sub = p.subresource();
    if (type.subresource(sub).isEmpty()) {
      throw Responses.notFoundPath();
    }
    HttpMethod m = ctx.request().method();
    boolean dryRun = ctx.request().params().contains("dryRun");
    switch (sub) {
      case "log" -> logs.handle(ctx, p.namespace(), p.name());
      case "exec" -> remoteCommands.handle(ctx, p.namespace(), p.name(), true);
      case "attach" -> remoteCommands.handle(ctx, p.namespace(), p.name(), false);
      case "portforward" -> portForward.handle(ctx, p.namespace(), p.name());
      case "status" -> status(ctx, type, p, m, dryRun);
      case "scale" -> scale(ctx, type, p, m, dryRun);
      default -> throw StatusException.methodNotAllowed(type.plural() + "/" + sub + " is not supported by kube-sim");
    }
  }

  private void status(RoutingContext ctx, ResourceType type, ApiPath p, HttpMethod m, boolean dryRun) {
    if (m == HttpMethod.GET) {
      ResourceHandler.respond(ctx, 200, current(type, p));
      return;
    }
    UnaryOperator<ObjectNode> change;
    if (m == HttpMethod.PUT) {
      ObjectNode body = Bodies.object(ctx, type);
      change = current -> {
        ResourceHandler.setOrRemove(current, "status", body.get("status"));
        String rv = Json.textAt(body, "metadata", "resourceVersion");
        if (rv != null) {
          Json.obj(current, "metadata").put("resourceVersion", rv);
        }
        return current;
      };
    } else if (m == HttpMethod.PATCH) {
      UnaryOperator<ObjectNode> patcher = ResourceHandler.patcher(Bodies.mediaType(ctx), Bodies.patch(ctx));
      change = current -> {
        ObjectNode patched = patcher.apply(current.deepCopy());
        ResourceHandler.setOrRemove(current, "status", patched.get("status"));
        Json.obj(current, "metadata").set("resourceVersion", patched.path("metadata").get("resourceVersion"));
        return current;
      };
    } else {
      throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
    ResourceHandler.respond(ctx, 200, store.modify(type, p.namespace(), p.name(), dryRun, change));
  }

  private void scale(RoutingContext ctx, ResourceType type, ApiPath p, HttpMethod m, boolean dryRun) {
    if (m == HttpMethod.GET) {
      Responses.json(ctx, 200, toScale(current(type, p)));
      return;
    }
    UnaryOperator<ObjectNode> toNewScale;
    if (m == HttpMethod.PUT) {
      ObjectNode body = Json.parseObject(Bodies.bytes(ctx));
      toNewScale = scale -> body;
    } else if (m == HttpMethod.PATCH) {
      toNewScale = ResourceHandler.patcher(Bodies.mediaType(ctx), Bodies.patch(ctx));
    } else {
      throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
    ObjectNode updated = store.modify(type, p.namespace(), p.name(), dryRun, current -> {
      ObjectNode scale = toNewScale.apply(toScale(current));
      JsonNode replicas = scale.path("spec").get("replicas");
      if (replicas == null || !replicas.canConvertToInt() || replicas.asInt() < 0) {
        throw StatusException.invalid(type, p.name(), "spec.replicas: Invalid value: must be a non-negative integer");
      }
      String rv = Json.textAt(scale, "metadata", "resourceVersion");
      if (rv != null) {
        Json.obj(current, "metadata").put("resourceVersion", rv);
      }
      Json.obj(current, "spec").put("replicas", replicas.asInt());
      return current;
    });
    Responses.json(ctx, 200, toScale(updated));
  }

  private ObjectNode current(ResourceType type, ApiPath p) {
    return store.get(type, p.namespace(), p.name()).orElseThrow(() -> StatusException.notFound(type, p.name()));
  }

  static ObjectNode toScale(ObjectNode obj) {
    ObjectNode s = Json.object();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      meta.set(f, obj.path("metadata").get(f));
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt());
    ObjectNode status = s.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt());
    List<String> selector = new ArrayList<>();
    JsonNode labels = obj.path("spec").path("selector").path("matchLabels");
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      selector.add(e.getKey() + "=" + e.getValue().asText());
    }
    status.put("selector", String.join(",", selector));
    return s;
  }
}

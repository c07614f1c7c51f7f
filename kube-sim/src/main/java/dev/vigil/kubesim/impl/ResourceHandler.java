package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.Selector;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.UnaryOperator;

/** get, list, create, update, patch, delete, deletecollection on a resource collection or object. */
final class ResourceHandler {

  private final ObjectStore store;
  private final WatchHandler watches;
  private final Subresources subresources;

  ResourceHandler(ObjectStore store, WatchHandler watches, Subresources subresources) {
    this.store = store;
    this.watches = watches;
    this.subresources = subresources;
  }

  void handle(RoutingContext ctx, ApiPath p) {
    try {
      dispatch(ctx, p);
    } catch (StatusException e) {
      Responses.error(ctx, e);
    }
  }

  private void dispatch(RoutingContext ctx, ApiPath p) {
    ResourceType type = store.registry().find(p.group(), p.version(), p.resource())
        .orElseThrow(Responses::notFoundPath);
    if ((p.namespace() != null && !type.namespaced()) || (type.namespaced() && p.name() != null && p.namespace() == null)) {
      throw Responses.notFoundPath();
    }
    HttpMethod m = ctx.request().method();
    if (type.isReview()) {
      if (m != HttpMethod.POST || p.name() != null || p.subresource() != null) {
        throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      Responses.json(ctx, 201, Reviews.answer(type, Bodies.object(ctx, type), ctx.request().headers()));
      return;
    }
    if (p.subresource() != null) {
      subresources.handle(ctx, p, type);
      return;
    }
    boolean dryRun = ctx.request().params().contains("dryRun");
    if (p.name() == null) {
      if (m == HttpMethod.GET) {
        if (p.watchPrefix() || isWatch(ctx)) {
          watches.watch(ctx, type, p.namespace(), labels(ctx), fields(ctx));
        } else {
          list(ctx, type, p.namespace());
        }
      } else if (m == HttpMethod.POST) {
        respond(ctx, 201, store.create(type, p.namespace(), Bodies.object(ctx, type), dryRun));
      } else if (m == HttpMethod.DELETE) {
        deleteCollection(ctx, type, p.namespace(), dryRun);
      } else {
        throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
      }
      return;
    }
    if (m == HttpMethod.GET) {
      if (p.watchPrefix() || isWatch(ctx)) {
        watches.watch(ctx, type, p.namespace(), labels(ctx), Selector.fields("metadata.name=" + p.name()));
      } else {
        respond(ctx, 200, store.get(type, p.namespace(), p.name())
            .orElseThrow(() -> StatusException.notFound(type, p.name())));
      }
    } else if (m == HttpMethod.PUT) {
      ObjectNode body = Bodies.object(ctx, type);
      respond(ctx, 200, store.modify(type, p.namespace(), p.name(), dryRun, current -> {
        if (type.hasStatusSubresource()) {
          setOrRemove(body, "status", current.get("status"));
        }
        return body;
      }));
    } else if (m == HttpMethod.PATCH) {
      patch(ctx, type, p, dryRun);
    } else if (m == HttpMethod.DELETE) {
      respond(ctx, 200, store.delete(type, p.namespace(), p.name(), dryRun));
    } else {
      throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
  }

  private void patch(RoutingContext ctx, ResourceType type, ApiPath p, boolean dryRun) {
    String mt = Bodies.mediaType(ctx);
    JsonNode patch = Bodies.patch(ctx);
    if (Patches.APPLY.equals(mt) && store.get(type, p.namespace(), p.name()).isEmpty()) {
      if (!(patch instanceof ObjectNode o)) {
        throw StatusException.badRequest("apply patch must be an object");
      }
      Json.obj(o, "metadata").put("name", p.name());
      respond(ctx, 201, store.create(type, p.namespace(), o, dryRun));
      return;
    }
    UnaryOperator<ObjectNode> apply = patcher(mt, patch);
    respond(ctx, 200, store.modify(type, p.namespace(), p.name(), dryRun, current -> {
      ObjectNode result = apply.apply(current);
      if (type.hasStatusSubresource()) {
        setOrRemove(result, "status", current.get("status"));
      }
      return result;
    }));
  }

  /** The function applying a patch of the given media type. */
  static UnaryOperator<ObjectNode> patcher(String mediaType, JsonNode patch) {
    return current -> {
      JsonNode out = switch (mediaType) {
        case Patches.MERGE -> Patches.mergePatch(current, patch);
        case Patches.JSON_PATCH -> Patches.jsonPatch(current, patch);
        case Patches.STRATEGIC, Patches.APPLY -> StrategicMerge.apply(current, patch);
        default -> throw StatusException.unsupportedMediaType(mediaType);
      };
      if (!(out instanceof ObjectNode o)) {
        throw new StatusException(422, "Invalid", "patch result is not an object");
      }
      return o;
    };
  }

  private void list(RoutingContext ctx, ResourceType type, String namespace) {
    String rv = Long.toString(store.resourceVersion());
    List<ObjectNode> items = selected(type, namespace, labels(ctx), fields(ctx));
    Tables.Negotiated n = Tables.negotiate(ctx.request().getHeader("Accept"));
    switch (n.as()) {
      case TABLE -> Responses.json(ctx, 200,
          Tables.table(type.kind(), items, n.apiVersion(), ctx.request().getParam("includeObject"), rv, true));
      case PARTIAL -> Responses.json(ctx, 200, Tables.partialList(items, n.apiVersion(), rv));
      default -> Responses.json(ctx, 200, list(type, items, rv));
    }
  }

  private void deleteCollection(RoutingContext ctx, ResourceType type, String namespace, boolean dryRun) {
    List<ObjectNode> items = selected(type, namespace, labels(ctx), fields(ctx));
    List<ObjectNode> deleted = items.stream().map(o -> store.delete(type, Json.textAt(o, "metadata", "namespace"),
        Json.textAt(o, "metadata", "name"), dryRun)).toList();
    Responses.json(ctx, 200, list(type, deleted, Long.toString(store.resourceVersion())));
  }

  private List<ObjectNode> selected(ResourceType type, String namespace, Selector labels, Selector fields) {
    return store.list(type, namespace).stream().filter(o -> labels.matches(o) && fields.matches(o)).toList();
  }

  static ObjectNode list(ResourceType type, List<ObjectNode> items, String rv) {
    ObjectNode l = Json.object();
    l.put("kind", type.listKind());
    l.put("apiVersion", type.apiVersion());
    l.putObject("metadata").put("resourceVersion", rv);
    ArrayNode arr = l.putArray("items");
    items.forEach(arr::add);
    return l;
  }

  /** Writes one object, as a Table or PartialObjectMetadata if the client asked for that. */
  static void respond(RoutingContext ctx, int code, ObjectNode obj) {
    Tables.Negotiated n = Tables.negotiate(ctx.request().getHeader("Accept"));
    String kind = Json.text(obj, "kind");
    switch (n.as()) {
      case TABLE -> Responses.json(ctx, code, Tables.table(kind, List.of(obj), n.apiVersion(),
          ctx.request().getParam("includeObject"), Json.textAt(obj, "metadata", "resourceVersion"), true));
      case PARTIAL -> Responses.json(ctx, code, Tables.partial(obj, n.apiVersion()));
      default -> Responses.json(ctx, code, obj);
    }
  }

  static boolean isWatch(RoutingContext ctx) {
    String w = ctx.request().getParam("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  static Selector labels(RoutingContext ctx) {
    return Selector.labels(ctx.request().getParam("labelSelector"));
  }

  static Selector fields(RoutingContext ctx) {
    return Selector.fields(ctx.request().getParam("fieldSelector"));
  }

  static void setOrRemove(ObjectNode obj, String field, JsonNode value) {
    if (value == null) {
      obj.remove(field);
    } else {
      obj.set(field, value.deepCopy());
    }
  }
}

package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The in-memory object database of kube-sim. Thread-safe (one lock). Objects go in and come out as
 * deep copies, so callers may freely mutate what they get. Every write bumps one global
 * resourceVersion counter and produces a {@link WatchEvent}.
 */
public final class ObjectStore {

  private final ResourceRegistry registry;
  private final Defaulter defaulter = new Defaulter();
  private final Map<ResourceType, TreeMap<String, ObjectNode>> data = new HashMap<>();
  private final WatchLog log = new WatchLog(10_000);
  private final WorkloadController controller;
  private long resourceVersion = 1;

  /** A store with the simulated workload controllers (deployments → replica sets → pods). */
  public ObjectStore(ResourceRegistry registry) {
    this(registry, true);
  }

  /**
   * @param controllers whether deployments and replica sets get replica sets and pods (as the
   *     kube-controller-manager would), synchronously after each write
   */
  public ObjectStore(ResourceRegistry registry, boolean controllers) {
    this.registry = registry;
    this.controller = controllers ? new WorkloadController(this) : null;
  }

  public ResourceRegistry registry() {
    return registry;
  }

  /** The current (latest) resourceVersion, as served in list metadata. */
  public synchronized long resourceVersion() {
    return resourceVersion;
  }

  // ---- reads ------------------------------------------------------------------------------

  public synchronized Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    ObjectNode o = bucket(type).get(key(type, namespace, name));
    return Optional.ofNullable(o == null ? null : o.deepCopy());
  }

  /** Get by resource name ("pods", "po", "Pod", "deployments.apps"). */
  public Optional<ObjectNode> get(String resource, String namespace, String name) {
    return get(registry.require(resource), namespace, name);
  }

  /** All objects of a type, in one namespace or (namespace null) everywhere, sorted by namespace/name. */
  public synchronized List<ObjectNode> list(ResourceType type, String namespace) {
    List<ObjectNode> out = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : bucket(type).entrySet()) {
      if (namespace == null || !type.namespaced() || e.getKey().startsWith(namespace + "/")) {
        out.add(e.getValue().deepCopy());
      }
    }
    return out;
  }

  public List<ObjectNode> list(String resource, String namespace) {
    return list(registry.require(resource), namespace);
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Creates an object (POST semantics): 409 AlreadyExists, 404 if the namespace is missing. */
  public ObjectNode create(ResourceType type, String namespace, ObjectNode input) {
    return create(type, namespace, input, false);
  }

  /** Like {@link #create(ResourceType, String, ObjectNode)}; with dryRun nothing is stored. */
  public synchronized ObjectNode create(ResourceType type, String namespace, ObjectNode input, boolean dryRun) {
    ObjectNode obj = input.deepCopy();
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    ObjectNode meta = Json.obj(obj, "metadata");
    String ns = type.namespaced() ? Names.namespaceFor(meta, namespace) : null;
    String name = Json.text(meta, "name");
    if ((name == null || name.isEmpty()) && meta.hasNonNull("generateName")) {
      do {
        name = meta.get("generateName").asText() + Names.randomSuffix();
      } while (bucket(type).containsKey(key(type, ns, name)));
      meta.put("name", name);
    }
    Names.validate(type, name);
    if (type.namespaced()) {
      meta.put("namespace", ns);
      if (!bucket(registry.require("namespaces")).containsKey(ns)) {
        throw new StatusException(404, "NotFound", "namespaces \"" + ns + "\" not found", ns, "namespaces", null);
      }
    } else {
      meta.remove("namespace");
    }
    if (bucket(type).containsKey(key(type, ns, name))) {
      throw StatusException.alreadyExists(type, name);
    }
    Names.fillForCreate(meta);
    defaulter.apply(type, obj, null);
    if (dryRun) {
      return obj;
    }
    meta.put("resourceVersion", Long.toString(++resourceVersion));
    bucket(type).put(key(type, ns, name), obj);
    publish(new WatchEvent(WatchEvent.ADDED, type, resourceVersion, obj.deepCopy(), null));
    if (type.kind().equals("Namespace")) {
      createDefaultServiceAccount(name);
    }
    return obj.deepCopy();
  }

  /** Creates an object whose type comes from its apiVersion/kind. */
  public ObjectNode create(ObjectNode obj) {
    return create(typeOf(obj), Json.textAt(obj, "metadata", "namespace"), obj);
  }

  /**
   * Replaces an object (PUT semantics): 404 if missing, 409 Conflict if the body carries a
   * resourceVersion other than the current one. A no-op update returns the object unchanged.
   */
  public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode input) {
    return update(type, namespace, name, input, false);
  }

  /** Like {@link #update(ResourceType, String, String, ObjectNode)}; with dryRun nothing is stored. */
  public synchronized ObjectNode update(ResourceType type, String namespace, String name, ObjectNode input,
      boolean dryRun) {
    ObjectNode current = bucket(type).get(key(type, namespace, name));
    if (current == null) {
      throw StatusException.notFound(type, name);
    }
    ObjectNode obj = Names.forUpdate(type, namespace, name, input, current);
    defaulter.apply(type, obj, current);
    if (obj.equals(current) || dryRun) {
      return obj;
    }
    Json.obj(obj, "metadata").put("resourceVersion", Long.toString(++resourceVersion));
    bucket(type).put(key(type, namespace, name), obj);
    publish(new WatchEvent(WatchEvent.MODIFIED, type, resourceVersion, obj.deepCopy(), current));
    return obj.deepCopy();
  }

  /** Atomically reads, transforms (on a copy) and updates an object; used for patches. */
  public synchronized ObjectNode modify(ResourceType type, String namespace, String name, boolean dryRun,
      UnaryOperator<ObjectNode> fn) {
    ObjectNode current = bucket(type).get(key(type, namespace, name));
    if (current == null) {
      throw StatusException.notFound(type, name);
    }
    return update(type, namespace, name, fn.apply(current.deepCopy()), dryRun);
  }

  /** Creates or unconditionally replaces; convenient for seeding. */
  public synchronized ObjectNode upsert(ObjectNode obj) {
    ResourceType type = typeOf(obj);
    String ns = type.namespaced() ? Names.namespaceFor(Json.obj(obj, "metadata"), null) : null;
    String name = Json.textAt(obj, "metadata", "name");
    if (name != null && bucket(type).containsKey(key(type, ns, name))) {
      ObjectNode copy = obj.deepCopy();
      Json.obj(copy, "metadata").remove("resourceVersion");
      return update(type, ns, name, copy);
    }
    return create(type, ns, obj);
  }

  /** Upserts every document of a (multi-document) YAML or JSON text. */
  public List<ObjectNode> apply(String yaml) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode doc : Json.documents(yaml)) {
      out.add(upsert(doc));
    }
    return out;
  }

  /** Deletes an object and returns its last state; deleting a namespace deletes its content. */
  public ObjectNode delete(ResourceType type, String namespace, String name) {
    return delete(type, namespace, name, false);
  }

  /** Like {@link #delete(ResourceType, String, String)}; with dryRun nothing is removed. */
  public synchronized ObjectNode delete(ResourceType type, String namespace, String name, boolean dryRun) {
    ObjectNode current = dryRun ? bucket(type).get(key(type, namespace, name))
        : bucket(type).remove(key(type, namespace, name));
    if (current == null) {
      throw StatusException.notFound(type, name);
    }
    if (dryRun) {
      return current.deepCopy();
    }
    if (type.kind().equals("Namespace")) {
      // the namespace is already gone from the bucket: nothing new can be created in it meanwhile
      for (ResourceType t : registry.all()) {
        if (t.namespaced()) {
          for (ObjectNode o : list(t, name)) {
            String child = Json.textAt(o, "metadata", "name");
            if (bucket(t).containsKey(key(t, name, child))) {
              delete(t, name, child);
            }
          }
        }
      }
      Json.obj(current, "status").put("phase", "Terminating");
    }
    ObjectNode last = current.deepCopy();
    Json.obj(last, "metadata").put("deletionTimestamp", Json.timestamp(Instant.now()));
    Json.obj(last, "metadata").put("resourceVersion", Long.toString(++resourceVersion));
    publish(new WatchEvent(WatchEvent.DELETED, type, resourceVersion, last.deepCopy(), current));
    return last;
  }

  public ObjectNode delete(String resource, String namespace, String name) {
    return delete(registry.require(resource), namespace, name);
  }

  // ---- watch ------------------------------------------------------------------------------

  /**
   * Subscribes to changes of one type (namespace null = all). With no resourceVersion (or "0")
   * the listener first gets a synthetic ADDED per existing object; with one, the retained events
   * after it (410 Expired if too old). The listener runs under the store lock: it must not block.
   *
   * @return a handle that cancels the subscription
   */
  public synchronized Runnable watch(ResourceType type, String namespace, String fromResourceVersion,
      Consumer<WatchEvent> listener) {
    Consumer<WatchEvent> filtered = e -> {
      if (e.resourceType().equals(type) && (namespace == null || namespace.equals(e.namespace()))) {
        listener.accept(e);
      }
    };
    if (fromResourceVersion == null || fromResourceVersion.isEmpty() || fromResourceVersion.equals("0")) {
      for (ObjectNode o : list(type, namespace)) {
        long rv = Long.parseLong(Json.textAt(o, "metadata", "resourceVersion"));
        listener.accept(new WatchEvent(WatchEvent.ADDED, type, rv, o, null));
      }
    } else {
      long from;
      try {
        from = Long.parseLong(fromResourceVersion);
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("invalid resourceVersion: " + fromResourceVersion);
      }
      log.replay(from, filtered);
    }
    return log.subscribe(filtered);
  }

  /** Subscribes to every change of every type (no replay). The listener must not block. */
  public Runnable subscribeAll(Consumer<WatchEvent> listener) {
    return log.subscribe(listener);
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Notifies watchers, then (after all of them saw the event) lets the controllers react. */
  private void publish(WatchEvent event) {
    log.publish(event);
    if (controller != null) {
      controller.onEvent(event);
    }
  }

  private void createDefaultServiceAccount(String namespace) {
    ObjectNode sa = Json.object();
    Json.obj(sa, "metadata").put("name", "default").put("namespace", namespace);
    create(registry.require("serviceaccounts"), namespace, sa);
  }

  private ResourceType typeOf(ObjectNode obj) {
    String apiVersion = Json.text(obj, "apiVersion");
    String kind = Json.text(obj, "kind");
    return registry.byKind(apiVersion, kind).orElseThrow(() ->
        StatusException.badRequest("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\""));
  }

  private TreeMap<String, ObjectNode> bucket(ResourceType type) {
    return data.computeIfAbsent(type, t -> new TreeMap<>());
  }

  private static String key(ResourceType type, String namespace, String name) {
    return type.namespaced() ? (namespace == null ? "default" : namespace) + "/" + name : name;
  }
}

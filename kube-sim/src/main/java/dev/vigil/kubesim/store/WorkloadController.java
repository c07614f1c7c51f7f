package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synchronous, instant stand-in for the deployment, replica set and garbage collector
 * controllers: a deployment owns one replica set per pod template ({@code <name>-<hash>}, older
 * ones scaled to 0), a replica set owns {@code spec.replicas} running pods, deleted owners take
 * their dependents with them, a deleted pod is replaced, and a new pod gets its scheduler and
 * kubelet events (Scheduled, Pulled, Created, Started). Runs under the store lock after the
 * triggering event was delivered to watchers. Names are deterministic per replica set.
 */
final class WorkloadController {

  private static final Logger LOG = LoggerFactory.getLogger(WorkloadController.class);
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final String HASH_LABEL = "pod-template-hash";
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private final ObjectStore store;
  private final Map<String, Integer> podCounters = new HashMap<>();

  WorkloadController(ObjectStore store) {
    this.store = store;
  }

  void onEvent(WatchEvent e) {
    try {
      String ns = e.namespace();
      String uid = Json.textAt(e.object(), "metadata", "uid");
      switch (e.resourceType().kind() + "/" + e.type()) {
        case "Deployment/ADDED", "Deployment/MODIFIED" -> reconcileDeployment(ns, Json.textAt(e.object(), "metadata", "name"));
        case "Deployment/DELETED" -> deleteOwned(type("replicasets"), ns, uid);
        case "ReplicaSet/ADDED", "ReplicaSet/MODIFIED" -> reconcileReplicaSet(ns, Json.textAt(e.object(), "metadata", "name"));
        case "ReplicaSet/DELETED" -> deleteOwned(type("pods"), ns, uid);
        case "Pod/ADDED" -> podEvents(e.object());
        case "Pod/DELETED" -> {
          JsonNode owner = controllerOf(e.object());
          if (owner != null && "ReplicaSet".equals(Json.text(owner, "kind"))) {
            reconcileReplicaSet(ns, Json.text(owner, "name"));
          }
        }
        default -> { }
      }
    } catch (StatusException ex) {
      LOG.debug("kube-sim controller skipped: {}", ex.getMessage());
    }
  }

  private void reconcileDeployment(String ns, String name) {
    ObjectNode d = store.get(type("deployments"), ns, name).orElse(null);
    if (d == null) {
      return;
    }
    ObjectNode template = (ObjectNode) d.path("spec").path("template").deepCopy();
    String hash = hash(canonical(template));
    String rsName = name + "-" + hash;
    ResourceType rsType = type("replicasets");
    List<ObjectNode> replicaSets = owned(rsType, ns, Json.textAt(d, "metadata", "uid"));
    int maxRevision = 0;
    ObjectNode currentRs = null;
    for (ObjectNode rs : replicaSets) {
      maxRevision = Math.max(maxRevision, parseInt(Json.textAt(rs, "metadata", "annotations", REVISION)));
      if (Json.textAt(rs, "metadata", "name").equals(rsName)) {
        currentRs = rs;
      }
    }
    int currentRevision = 0;
    for (ObjectNode rs : replicaSets) {
      if (rs == currentRs) {
        int rev = parseInt(Json.textAt(rs, "metadata", "annotations", REVISION));
        // a rollback to an older template makes its replica set the newest revision again
        currentRevision = rev < maxRevision ? maxRevision + 1 : Math.max(rev, 1);
        int replicas = d.path("spec").path("replicas").asInt(1);
        String newRevision = Integer.toString(currentRevision);
        if (rev != currentRevision || rs.path("spec").path("replicas").asInt(-1) != replicas) {
          store.modify(rsType, ns, rsName, false, o -> {
            Json.obj(Json.obj(o, "metadata"), "annotations").put(REVISION, newRevision);
            Json.obj(o, "spec").put("replicas", replicas);
            return o;
          });
        }
      } else {
        scale(rsType, rs, 0);
      }
    }
    if (currentRevision == 0) {
      currentRevision = maxRevision + 1;
      ObjectNode rs = Json.object();
      ObjectNode meta = Json.obj(rs, "metadata");
      meta.put("name", rsName);
      meta.set("labels", Json.obj(Json.obj(template, "metadata"), "labels").deepCopy().put(HASH_LABEL, hash));
      meta.putObject("annotations").put(REVISION, Integer.toString(currentRevision));
      meta.putArray("ownerReferences").add(ownerRef(d));
      ObjectNode spec = rs.putObject("spec");
      spec.put("replicas", d.path("spec").path("replicas").asInt(1));
      ObjectNode selector = d.path("spec").path("selector").deepCopy();
      Json.obj(selector, "matchLabels").put(HASH_LABEL, hash);
      spec.set("selector", selector);
      Json.obj(Json.obj(template, "metadata"), "labels").put(HASH_LABEL, hash);
      spec.set("template", template);
      store.create(rsType, ns, rs);
    }
    String revision = Integer.toString(currentRevision);
    if (!revision.equals(Json.textAt(d, "metadata", "annotations", REVISION))) {
      store.modify(type("deployments"), ns, name, false, o -> {
        Json.obj(Json.obj(o, "metadata"), "annotations").put(REVISION, revision);
        return o;
      });
    }
  }

  private void reconcileReplicaSet(String ns, String name) {
    ResourceType rsType = type("replicasets");
    ObjectNode rs = store.get(rsType, ns, name).orElse(null);
    if (rs == null) {
      return;
    }
    ResourceType pods = type("pods");
    List<ObjectNode> owned = owned(pods, ns, Json.textAt(rs, "metadata", "uid"));
    int want = rs.path("spec").path("replicas").asInt(1);
    for (int i = owned.size(); i < want; i++) {
      store.create(pods, ns, pod(rs, name));
    }
    for (int i = owned.size() - 1; i >= want; i--) {
      store.delete(pods, ns, Json.textAt(owned.get(i), "metadata", "name"));
    }
  }

  private ObjectNode pod(ObjectNode rs, String rsName) {
    ObjectNode template = rs.path("spec").path("template").deepCopy();
    ObjectNode pod = Json.object();
    ObjectNode meta = Json.obj(pod, "metadata");
    JsonNode tm = template.path("metadata");
    if (tm.has("labels")) {
      meta.set("labels", tm.get("labels"));
    }
    if (tm.has("annotations")) {
      meta.set("annotations", tm.get("annotations"));
    }
    String ns = Json.textAt(rs, "metadata", "namespace");
    String name;
    do {
      int n = podCounters.merge(ns + "/" + rsName, 1, Integer::sum);
      name = rsName + "-" + hash(rsName + "#" + n).substring(0, 5);
    } while (store.get(type("pods"), ns, name).isPresent());
    meta.put("name", name);
    meta.putArray("ownerReferences").add(ownerRef(rs));
    pod.set("spec", template.path("spec").deepCopy());
    return pod;
  }

  /** The events a kubelet and scheduler would have recorded for a pod that starts. */
  private void podEvents(ObjectNode pod) {
    String name = Json.textAt(pod, "metadata", "name");
    String ns = Json.textAt(pod, "metadata", "namespace");
    String node = Json.textAt(pod, "spec", "nodeName");
    event(pod, "Scheduled", "default-scheduler", "Successfully assigned " + ns + "/" + name + " to " + node);
    for (JsonNode c : pod.path("spec").path("containers")) {
      String container = c.path("name").asText();
      event(pod, "Pulled", "kubelet", "Container image \"" + c.path("image").asText() + "\" already present on machine");
      event(pod, "Created", "kubelet", "Created container " + container);
      event(pod, "Started", "kubelet", "Started container " + container);
    }
  }

  private void event(ObjectNode pod, String reason, String component, String message) {
    String podName = Json.textAt(pod, "metadata", "name");
    String now = Json.timestamp(java.time.Instant.now());
    ObjectNode ev = Json.object();
    ObjectNode meta = Json.obj(ev, "metadata");
    meta.put("name", podName + "." + hash(podName + reason + message + System.nanoTime()));
    ObjectNode involved = ev.putObject("involvedObject");
    involved.put("kind", "Pod").put("namespace", Json.textAt(pod, "metadata", "namespace")).put("name", podName)
        .put("uid", Json.textAt(pod, "metadata", "uid")).put("apiVersion", "v1");
    ev.put("reason", reason).put("message", message).put("type", "Normal").put("count", 1);
    ev.putObject("source").put("component", component);
    ev.put("firstTimestamp", now).put("lastTimestamp", now).put("reportingComponent", component);
    store.create(type("events"), Json.textAt(pod, "metadata", "namespace"), ev);
  }

  private void scale(ResourceType rsType, ObjectNode rs, int replicas) {
    if (rs.path("spec").path("replicas").asInt(-1) != replicas) {
      store.modify(rsType, Json.textAt(rs, "metadata", "namespace"), Json.textAt(rs, "metadata", "name"), false,
          o -> {
            Json.obj(o, "spec").put("replicas", replicas);
            return o;
          });
    }
  }

  private void deleteOwned(ResourceType type, String ns, String ownerUid) {
    for (ObjectNode o : owned(type, ns, ownerUid)) {
      String n = Json.textAt(o, "metadata", "name");
      if (store.get(type, ns, n).isPresent()) {
        store.delete(type, ns, n);
      }
    }
  }

  private List<ObjectNode> owned(ResourceType type, String ns, String ownerUid) {
    return store.list(type, ns).stream().filter(o -> {
      JsonNode owner = controllerOf(o);
      return owner != null && ownerUid != null && ownerUid.equals(Json.text(owner, "uid"));
    }).toList();
  }

  private static JsonNode controllerOf(JsonNode obj) {
    for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return ref;
      }
    }
    return null;
  }

  private static ObjectNode ownerRef(ObjectNode owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", Json.text(owner, "apiVersion"));
    ref.put("kind", Json.text(owner, "kind"));
    ref.put("name", Json.textAt(owner, "metadata", "name"));
    ref.put("uid", Json.textAt(owner, "metadata", "uid"));
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** JSON with sorted keys and without nulls or empty containers, so equal templates hash equally. */
  static String canonical(JsonNode node) {
    if (node.isObject()) {
      java.util.TreeMap<String, String> fields = new java.util.TreeMap<>();
      node.fields().forEachRemaining(e -> {
        JsonNode v = e.getValue();
        if (!v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
          fields.put(e.getKey(), canonical(v));
        }
      });
      StringBuilder sb = new StringBuilder("{");
      fields.forEach((k, v) -> sb.append(Json.write(Json.MAPPER.getNodeFactory().textNode(k))).append(':').append(v)
          .append(','));
      return sb.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      node.forEach(v -> sb.append(canonical(v)).append(','));
      return sb.append(']').toString();
    }
    return Json.write(node);
  }

  /** A stable 10-character name fragment in the Kubernetes "safe" alphabet (FNV-1a 64). */
  static String hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sb.append(ALPHABET.charAt((int) Long.remainderUnsigned(h, ALPHABET.length())));
      h = Long.divideUnsigned(h, ALPHABET.length());
      if (h == 0) {
        h = 0x9e3779b97f4a7c15L ^ i;
      }
    }
    return sb.toString();
  }

  private ResourceType type(String name) {
    return store.registry().require(name);
  }
}

package dev.vigil.kubesim.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the API server and its controllers would fill in: secret {@code stringData}, pod status
 * (Running, podIP, nodeName), service cluster IPs, deployment status, namespace phase.
 */
final class Defaulter {

  static final String NODE_NAME = "kube-sim-node-1";
  private int nextPodIp = 10;
  private int nextServiceIp = 10;

  /** Called on create and on update (old = null on create). */
  void apply(ResourceType type, ObjectNode obj, ObjectNode old) {
    switch (type.kind()) {
      case "Namespace" -> namespace(obj);
      case "Secret" -> secret(obj);
      case "Pod" -> pod(type, obj);
      case "Service" -> service(obj, old);
      case "Deployment", "ReplicaSet" -> workload(type, obj, old);
      case "Node" -> node(obj);
      default -> { }
    }
  }

  private static void namespace(ObjectNode obj) {
    Json.obj(Json.obj(obj, "metadata"), "labels")
        .put("kubernetes.io/metadata.name", Json.textAt(obj, "metadata", "name"));
    ObjectNode spec = Json.obj(obj, "spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add("kubernetes");
    }
    ObjectNode status = Json.obj(obj, "status");
    if (!status.has("phase")) {
      status.put("phase", "Active");
    }
  }

  private static void secret(ObjectNode obj) {
    if (!obj.has("type")) {
      obj.put("type", "Opaque");
    }
    JsonNode stringData = obj.remove("stringData");
    if (stringData instanceof ObjectNode sd) {
      ObjectNode data = Json.obj(obj, "data");
      for (Iterator<Map.Entry<String, JsonNode>> it = sd.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private void pod(ResourceType type, ObjectNode obj) {
    ObjectNode spec = Json.obj(obj, "spec");
    JsonNode containers = spec.get("containers");
    if (!(containers instanceof ArrayNode arr) || arr.isEmpty()) {
      throw StatusException.invalid(type, Json.textAt(obj, "metadata", "name"), "spec.containers: Required value");
    }
    podSpec(spec);
    putIfAbsent(spec, "serviceAccountName", "default");
    putIfAbsent(spec, "nodeName", NODE_NAME);
    ObjectNode status = Json.obj(obj, "status");
    if (status.has("phase")) {
      return;
    }
    String now = Json.timestamp(Instant.now());
    String ip = "10.244.0." + (nextPodIp++ % 250 + 2);
    status.put("phase", "Running");
    ArrayNode conditions = status.putArray("conditions");
    for (String c : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
      conditions.addObject().put("type", c).put("status", "True").putNull("lastProbeTime").put("lastTransitionTime", now);
    }
    status.put("hostIP", "10.0.0.10");
    status.putArray("hostIPs").addObject().put("ip", "10.0.0.10");
    status.put("podIP", ip);
    status.putArray("podIPs").addObject().put("ip", ip);
    status.put("startTime", now);
    ArrayNode statuses = status.putArray("containerStatuses");
    for (JsonNode c : arr) {
      ObjectNode cs = statuses.addObject();
      cs.put("name", Json.text(c, "name"));
      cs.putObject("state").putObject("running").put("startedAt", now);
      cs.putObject("lastState");
      cs.put("ready", true);
      cs.put("restartCount", 0);
      cs.put("image", Json.text(c, "image"));
      cs.put("imageID", "sha256:" + hex(32));
      cs.put("containerID", "containerd://" + hex(32));
      cs.put("started", true);
    }
    status.put("qosClass", "BestEffort");
  }

  /** Defaults shared by pods and pod templates. */
  private static void podSpec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode co) {
          String image = Json.text(co, "image");
          boolean latest = image == null || !image.contains(":") || image.endsWith(":latest");
          putIfAbsent(co, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
          putIfAbsent(co, "terminationMessagePath", "/dev/termination-log");
          putIfAbsent(co, "terminationMessagePolicy", "File");
          for (JsonNode port : co.path("ports")) {
            if (port instanceof ObjectNode po) {
              putIfAbsent(po, "protocol", "TCP");
            }
          }
        }
      }
    }
  }

  private void service(ObjectNode obj, ObjectNode old) {
    ObjectNode spec = Json.obj(obj, "spec");
    putIfAbsent(spec, "type", "ClusterIP");
    putIfAbsent(spec, "sessionAffinity", "None");
    if (!spec.hasNonNull("clusterIP")) {
      String previous = old == null ? null : Json.textAt(old, "spec", "clusterIP");
      spec.put("clusterIP", previous != null ? previous
          : "10.96." + (nextServiceIp / 250) + "." + (nextServiceIp++ % 250 + 2));
    }
    if (!spec.has("clusterIPs")) {
      spec.putArray("clusterIPs").add(spec.get("clusterIP").asText());
    }
    if (spec.get("ports") instanceof ArrayNode ports) {
      for (JsonNode p : ports) {
        if (p instanceof ObjectNode po) {
          putIfAbsent(po, "protocol", "TCP");
          if (!po.has("targetPort") && po.has("port")) {
            po.set("targetPort", po.get("port"));
          }
        }
      }
    }
    Json.obj(Json.obj(obj, "status"), "loadBalancer");
  }

  /** Simulated controller: a workload is instantly fully rolled out. */
  private static void workload(ResourceType type, ObjectNode obj, ObjectNode old) {
    ObjectNode spec = Json.obj(obj, "spec");
    if (!spec.has("selector")) {
      throw StatusException.invalid(type, Json.textAt(obj, "metadata", "name"), "spec.selector: Required value");
    }
    if (!spec.has("replicas")) {
      spec.put("replicas", 1);
    }
    int replicas = spec.get("replicas").asInt();
    if (spec.path("template").get("spec") instanceof ObjectNode templateSpec) {
      podSpec(templateSpec);
    }
    ObjectNode status = obj.putObject("status");
    status.put("observedGeneration", obj.path("metadata").path("generation").asLong(1));
    status.put("replicas", replicas);
    if (type.kind().equals("ReplicaSet")) {
      status.put("fullyLabeledReplicas", replicas);
    } else {
      status.put("updatedReplicas", replicas);
      ObjectNode annotations = Json.obj(Json.obj(obj, "metadata"), "annotations");
      if (!annotations.has("deployment.kubernetes.io/revision")) {
        annotations.put("deployment.kubernetes.io/revision", "1");
      }
    }
    if (replicas > 0) {
      status.put("readyReplicas", replicas);
      status.put("availableReplicas", replicas);
    }
    if (type.kind().equals("Deployment")) {
      putIfAbsent(spec, "revisionHistoryLimit", 10);
      ObjectNode strategy = Json.obj(spec, "strategy");
      if (!strategy.has("type")) {
        strategy.put("type", "RollingUpdate");
        strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
      }
      putIfAbsent(spec, "progressDeadlineSeconds", 600);
      JsonNode oldConditions = old == null ? null : old.path("status").get("conditions");
      if (oldConditions instanceof ArrayNode oc && oc.size() == 2) {
        status.set("conditions", oc.deepCopy());
        return;
      }
      String now = Json.timestamp(Instant.now());
      ArrayNode conditions = status.putArray("conditions");
      conditions.addObject().put("type", "Available").put("status", "True")
          .put("lastUpdateTime", now).put("lastTransitionTime", now)
          .put("reason", "MinimumReplicasAvailable").put("message", "Deployment has minimum availability.");
      conditions.addObject().put("type", "Progressing").put("status", "True")
          .put("lastUpdateTime", now).put("lastTransitionTime", now).put("reason", "NewReplicaSetAvailable")
          .put("message", "ReplicaSet \"" + Json.textAt(obj, "metadata", "name") + "\" has successfully progressed.");
    }
  }

  private static void node(ObjectNode obj) {
    ObjectNode status = Json.obj(obj, "status");
    if (status.has("conditions")) {
      return;
    }
    String now = Json.timestamp(Instant.now());
    status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
        .put("reason", "KubeletReady").put("message", "kubelet is posting ready status")
        .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
    status.putArray("addresses").addObject().put("type", "InternalIP").put("address", "10.0.0.10");
    status.putObject("nodeInfo").put("kubeletVersion", "v1.32.0").put("osImage", "kube-sim")
        .put("containerRuntimeVersion", "containerd://1.7.0").put("kernelVersion", "6.1.0")
        .put("operatingSystem", "linux").put("architecture", "amd64");
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  private static void putIfAbsent(ObjectNode node, String field, int value) {
    if (!node.hasNonNull(field)) {
      node.put(field, value);
    }
  }

  static String hex(int bytes) {
    StringBuilder sb = new StringBuilder();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < bytes; i++) {
      sb.append(String.format("%02x", r.nextInt(256)));
    }
    return sb.toString();
  }
}

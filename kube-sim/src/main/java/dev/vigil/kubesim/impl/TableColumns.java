package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** The columns {@code kubectl get} shows per kind, like the apiserver's table printers. */
final class TableColumns {

  record Column(String name, String type, int priority, String description, Function<JsonNode, Object> cell) {}

  private TableColumns() {}

  static List<Column> forKind(String kind) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("Name", "string", 0, "Name must be unique within a namespace.",
        o -> Json.textAt(o, "metadata", "name")));
    switch (kind) {
      case "Pod" -> {
        c.add(col("Ready", "The aggregate readiness state of this pod for accepting traffic.", TableColumns::podReady));
        c.add(col("Status", "The aggregate status of the containers in this pod.", TableColumns::podStatus));
        c.add(new Column("Restarts", "string", 0, "The number of times the containers in this pod have been restarted.",
            o -> String.valueOf(sum(o.path("status").path("containerStatuses"), "restartCount"))));
        c.add(age());
        c.add(wide("IP", o -> or(Json.textAt(o, "status", "podIP"), "<none>")));
        c.add(wide("Node", o -> or(Json.textAt(o, "spec", "nodeName"), "<none>")));
        c.add(wide("Nominated Node", o -> or(Json.textAt(o, "status", "nominatedNodeName"), "<none>")));
        c.add(wide("Readiness Gates", o -> "<none>"));
      }
      case "Namespace" -> {
        c.add(col("Status", "The status of the namespace", o -> Json.textAt(o, "status", "phase")));
        c.add(age());
      }
      case "ConfigMap" -> {
        c.add(new Column("Data", "integer", 0, "Number of data entries",
            o -> o.path("data").size() + o.path("binaryData").size()));
        c.add(age());
      }
      case "Secret" -> {
        c.add(col("Type", "The type of the secret", o -> Json.text(o, "type")));
        c.add(new Column("Data", "integer", 0, "Number of data entries", o -> o.path("data").size()));
        c.add(age());
      }
      case "Service" -> {
        c.add(col("Type", "The type of the service", o -> Json.textAt(o, "spec", "type")));
        c.add(col("Cluster-IP", "The cluster IP", o -> or(Json.textAt(o, "spec", "clusterIP"), "<none>")));
        c.add(col("External-IP", "External IPs", o -> "<none>"));
        c.add(col("Port(s)", "The ports of the service", TableColumns::servicePorts));
        c.add(age());
        c.add(wide("Selector", o -> selector(o.path("spec").path("selector"))));
      }
      case "ServiceAccount" -> {
        c.add(new Column("Secrets", "integer", 0, "Number of secrets", o -> o.path("secrets").size()));
        c.add(age());
      }
      case "Deployment" -> {
        c.add(col("Ready", "Number of ready pods", o -> o.path("status").path("readyReplicas").asInt()
            + "/" + o.path("spec").path("replicas").asInt()));
        c.add(new Column("Up-to-date", "integer", 0, "Updated replicas",
            o -> o.path("status").path("updatedReplicas").asInt()));
        c.add(new Column("Available", "integer", 0, "Available replicas",
            o -> o.path("status").path("availableReplicas").asInt()));
        c.add(age());
        workloadWide(c);
      }
      case "ReplicaSet" -> {
        c.add(new Column("Desired", "integer", 0, "Desired replicas", o -> o.path("spec").path("replicas").asInt()));
        c.add(new Column("Current", "integer", 0, "Current replicas", o -> o.path("status").path("replicas").asInt()));
        c.add(new Column("Ready", "integer", 0, "Ready replicas", o -> o.path("status").path("readyReplicas").asInt()));
        c.add(age());
        workloadWide(c);
      }
      case "Node" -> {
        c.add(col("Status", "The status of the node", o -> "Ready"));
        c.add(col("Roles", "The roles of the node", o -> "<none>"));
        c.add(age());
        c.add(col("Version", "Kubelet version", o -> Json.textAt(o, "status", "nodeInfo", "kubeletVersion")));
      }
      case "Role", "ClusterRole" -> c.add(col("Created At", "Creation time",
          o -> Json.textAt(o, "metadata", "creationTimestamp")));
      case "RoleBinding", "ClusterRoleBinding" -> {
        c.add(col("Role", "The role", o -> Json.textAt(o, "roleRef", "kind") + "/" + Json.textAt(o, "roleRef", "name")));
        c.add(age());
      }
      case "Event" -> {
        c.add(1, col("Last Seen", "Last seen", o -> HumanDuration.since(or(Json.text(o, "lastTimestamp"),
            Json.textAt(o, "metadata", "creationTimestamp")))));
        c.add(col("Type", "Event type", o -> Json.text(o, "type")));
        c.add(col("Reason", "Reason", o -> Json.text(o, "reason")));
        c.add(col("Object", "Involved object", o -> Json.textAt(o, "involvedObject", "kind").toLowerCase(java.util.Locale.ROOT)
            + "/" + Json.textAt(o, "involvedObject", "name")));
        c.add(col("Message", "Message", o -> Json.text(o, "message")));
        c.remove(0);
      }
      default -> c.add(age());
    }
    return c;
  }

  private static void workloadWide(List<Column> c) {
    c.add(wide("Containers", o -> joined(o.path("spec").path("template").path("spec").path("containers"), "name")));
    c.add(wide("Images", o -> joined(o.path("spec").path("template").path("spec").path("containers"), "image")));
    c.add(wide("Selector", o -> selector(o.path("spec").path("selector").path("matchLabels"))));
  }

  private static Column col(String name, String description, Function<JsonNode, Object> cell) {
    return new Column(name, "string", 0, description, cell);
  }

  private static Column wide(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", 1, name, cell);
  }

  private static Column age() {
    return new Column("Age", "string", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.",
        o -> HumanDuration.since(Json.textAt(o, "metadata", "creationTimestamp")));
  }

  private static Object podReady(JsonNode o) {
    int total = o.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      ready += cs.path("ready").asBoolean() ? 1 : 0;
    }
    return ready + "/" + total;
  }

  private static Object podStatus(JsonNode o) {
    if (o.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    }
    String reason = or(Json.textAt(o, "status", "reason"), Json.textAt(o, "status", "phase"));
    for (JsonNode cs : o.path("status").path("containerStatuses")) {
      String waiting = Json.textAt(cs, "state", "waiting", "reason");
      String terminated = Json.textAt(cs, "state", "terminated", "reason");
      if (waiting != null) {
        reason = waiting;
      } else if (terminated != null) {
        reason = terminated;
      }
    }
    return or(reason, "Unknown");
  }

  private static Object servicePorts(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : o.path("spec").path("ports")) {
      out.add(p.path("port").asText() + (p.hasNonNull("nodePort") ? ":" + p.get("nodePort").asText() : "")
          + "/" + p.path("protocol").asText("TCP"));
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String selector(JsonNode labels) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = labels.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      out.add(k + "=" + labels.get(k).asText());
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String joined(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return String.join(",", out);
  }

  private static long sum(JsonNode array, String field) {
    long s = 0;
    for (JsonNode n : array) {
      s += n.path(field).asLong();
    }
    return s;
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}

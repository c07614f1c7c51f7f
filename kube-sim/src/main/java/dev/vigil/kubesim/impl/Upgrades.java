package dev.vigil.kubesim.impl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.kubesim.store.Json;
import dev.vigil.kubesim.store.ObjectStore;
import dev.vigil.kubesim.store.ResourceType;
import dev.vigil.kubesim.store.StatusException;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks shared by exec, attach and port-forward before the WebSocket upgrade: the pod is there
 * and Running, and the client offers a subprotocol kube-sim speaks. SPDY upgrades are refused
 * with a {@code Status} that says why (kubectl falls back to SPDY only when WebSocket failed).
 */
final class Upgrades {

  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";
  static final String SPDY_TUNNEL = "SPDY/3.1+portforward.k8s.io";
  static final String PORT_FORWARD = "portforward.k8s.io";
  static final String HEADER = "Sec-WebSocket-Protocol";

  private Upgrades() {}

  /** The pod, which must exist and be Running. */
  static ObjectNode runningPod(ObjectStore store, String namespace, String name) {
    ResourceType pods = store.registry().require("pods");
    ObjectNode pod = store.get(pods, namespace, name).orElseThrow(() -> StatusException.notFound(pods, name));
    String phase = Json.textAt(pod, "status", "phase");
    if (!"Running".equals(phase)) {
      throw StatusException.badRequest("unable to upgrade connection: pod " + name + " is not running (phase "
          + (phase == null ? "unknown" : phase) + ")");
    }
    return pod;
  }

  /**
   * The subprotocol to answer with: the first of {@code supported} (server preference) that the
   * client offers. Throws a 400 {@code Status} for SPDY, a missing upgrade or no common protocol.
   */
  static String negotiate(HttpServerRequest req, List<String> supported, String what) {
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.toUpperCase(Locale.ROOT).startsWith("SPDY/")) {
      throw StatusException.badRequest("kube-sim serves " + what + " over WebSocket only (subprotocols "
          + String.join(", ", supported) + "); SPDY upgrades are refused. kubectl uses WebSocket by default"
          + (what.equals("port-forward") ? " since 1.31: unset KUBECTL_PORT_FORWARD_WEBSOCKETS=false"
              : " since 1.30: unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false"));
    }
    if (!req.canUpgradeToWebSocket()) {
      throw StatusException.badRequest("Upgrade request required");
    }
    List<String> offered = offered(req);
    for (String s : supported) {
      if (offered.contains(s)) {
        return s;
      }
    }
    throw StatusException.badRequest("kube-sim supports the WebSocket subprotocols " + String.join(", ", supported)
        + " for " + what + "; offered: " + (offered.isEmpty() ? "none" : String.join(", ", offered)));
  }

  static List<String> offered(HttpServerRequest req) {
    List<String> out = new ArrayList<>();
    for (String h : req.headers().getAll(HEADER)) {
      for (String p : h.split(",")) {
        if (!p.isBlank()) {
          out.add(p.trim());
        }
      }
    }
    return out;
  }

  /** Narrows the offer to the chosen protocol, so the handshake answers with exactly that one. */
  static void choose(HttpServerRequest req, String protocol) {
    req.headers().set(HEADER, protocol);
  }

  static boolean flag(HttpServerRequest req, String name) {
    String v = req.getParam(name);
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
  }
}

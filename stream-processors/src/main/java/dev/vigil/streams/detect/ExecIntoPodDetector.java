package dev.vigil.streams.detect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import dev.vigil.schema.Alert;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.detect.DetectorSettings.ExecIntoPod;

/**
 * exec-into-pod: an allowed RequestReceived of {@code pods/exec} or {@code pods/attach} (the {@code subresources}
 * setting; any verb: kubectl's WebSocket exec is a {@code get}, the SPDY one a {@code create}). MEDIUM; HIGH in a
 * sensitive namespace ({@code kube-system} by default). Attributes add the container and the program run (the first
 * {@code command} word only, never its arguments, which may carry secrets).
 */
final class ExecIntoPodDetector {

  static final String TYPE = DetectorSettings.EXEC_INTO_POD;
  private static final int MAX_PROGRAM = 64;

  private ExecIntoPodDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, ExecIntoPod settings) {
    return events.flatMapValues(e -> detect(e, settings), Named.as("detect-" + TYPE));
  }

  static List<Alert> detect(VigilEvent e, ExecIntoPod settings) {
    RequestReceived r = Events.kubeRequest(e);
    if (r == null || !Events.allowed(r)) {
      return List.of();
    }
    KubernetesRequestInfo k = Events.kube(e);
    if (!"pods".equals(k.getResource()) || !Events.in(k.getSubresource(), settings.subresources())) {
      return List.of();
    }
    boolean sensitive = Events.in(k.getNamespace(), settings.sensitiveNamespaces());
    Map<String, String> a = Events.attributes(e);
    String query = e.getRequest().getQuery();
    String container = firstParam(query, "container");
    String program = firstParam(query, "command");
    Events.putIf(a, "container", container);
    if (program != null) {
      program = program.substring(program.lastIndexOf('/') + 1);
      a.put("command", program.length() > MAX_PROGRAM ? program.substring(0, MAX_PROGRAM) : program);
    }
    a.put("sensitiveNamespace", Boolean.toString(sensitive));
    String description = Alerts.who(e) + " opened " + k.getSubresource() + " into pod " + Events.objectRef(k)
        + (container == null ? "" : " (container " + container + ")")
        + (a.containsKey("command") ? " running " + a.get("command") : "")
        + (sensitive ? "; " + k.getNamespace() + " is a sensitive namespace" : "");
    return List.of(Alerts.alert(Alerts.id(TYPE, e.getEventId()), TYPE, sensitive ? Severity.HIGH : Severity.MEDIUM,
        e, e.getTime().toEpochMilli(), List.of(e.getEventId()), description, a));
  }

  /** The first value of {@code name} in a raw query string, URL-decoded; null when absent or undecodable. */
  static String firstParam(String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (k.equals(name) && eq >= 0) {
        try {
          String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          return v.isEmpty() ? null : v;
        } catch (IllegalArgumentException malformed) {
          return null; // a malformed escape: no usable value (the alert still fires, without this attribute)
        }
      }
    }
    return null;
  }
}

package dev.vigil.streams.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.kstream.KStream;

import dev.vigil.schema.Alert;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.detect.BurstWindow.Item;
import dev.vigil.streams.detect.DetectorSettings.Burst;

/**
 * deny-burst: at least {@code threshold} calls of one session key denied by the gateway's policy (a RequestReceived
 * with effect DENY, any channel) within one tumbling event-time window: an agent probing what it may do. MEDIUM.
 * One alert per window; evidence = the denied calls that reached the threshold. Calls the API server itself refused
 * (403 from RBAC) are not counted: the gateway allowed them, and their response does not say why.
 */
final class DenyBurstDetector {

  static final String TYPE = DetectorSettings.DENY_BURST;

  private DenyBurstDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, Burst settings) {
    return BurstWindow.build(events, TYPE, settings, DenyBurstDetector::matches, DenyBurstDetector::item,
        (trigger, evidence, start, end) -> alert(trigger, evidence, start, end, settings));
  }

  static boolean matches(VigilEvent e) {
    RequestReceived r = Events.request(e);
    return r != null && Events.denied(r);
  }

  private static Item item(VigilEvent e) {
    RequestReceived r = Events.request(e);
    String rule = r.getDecision().getRuleId() == null ? "default" : r.getDecision().getRuleId();
    KubernetesRequestInfo k = Events.kube(e);
    if (k == null) {
      String path = e.getRequest() == null ? "?" : e.getRequest().getPath();
      return new Item(e.getEventId(), e.getTime().toEpochMilli(), null, e.getChannel() + " " + path, rule);
    }
    return new Item(e.getEventId(), e.getTime().toEpochMilli(), k.getNamespace(),
        k.getVerb() + " " + Events.resourcePath(k), rule);
  }

  private static Alert alert(VigilEvent trigger, List<Item> evidence, long start, long end, Burst settings) {
    Map<String, Integer> byRule = new TreeMap<>();
    evidence.forEach(i -> byRule.merge(i.detail(), 1, Integer::sum));
    StringBuilder rules = new StringBuilder();
    byRule.forEach((k, v) -> rules.append(rules.length() == 0 ? "" : ", ").append(k).append(" \u00d7").append(v));
    String description = Alerts.who(trigger) + " had " + evidence.size() + " calls denied within "
        + BurstWindow.human(settings.window()) + " (window " + Instant.ofEpochMilli(start) + " to "
        + Instant.ofEpochMilli(end) + "), by policy rule " + rules + "; attempted: " + BurstWindow.summary(evidence);
    Map<String, String> a = new TreeMap<>();
    a.put("count", Integer.toString(evidence.size()));
    a.put("threshold", Integer.toString(settings.threshold()));
    a.put("window", settings.window().toString());
    a.put("windowStart", Instant.ofEpochMilli(start).toString());
    a.put("windowEnd", Instant.ofEpochMilli(end).toString());
    a.put("decision", "DENY");
    Events.putIf(a, "rules", BurstWindow.distinct(evidence, Item::detail));
    Events.putIf(a, "namespaces", BurstWindow.distinct(evidence, Item::namespace));
    Events.putIf(a, "resources", BurstWindow.distinct(evidence, Item::resource));
    long time = evidence.stream().mapToLong(Item::time).max().orElse(trigger.getTime().toEpochMilli());
    return Alerts.alert(Alerts.id(TYPE, trigger.getSessionKey(), Long.toString(start), Long.toString(end)), TYPE,
        Severity.MEDIUM, trigger, time, evidence.stream().map(Item::eventId).toList(), description, a);
  }
}

package dev.vigil.streams.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * mass-delete: at least {@code threshold} allowed {@code delete}/{@code deletecollection} requests of one session key
 * within one tumbling event-time window. HIGH. One alert per window; evidence = the deletes that reached the
 * threshold. Alert id over type + session key + window start (there is exactly one such alert per window).
 */
final class MassDeleteDetector {

  static final String TYPE = DetectorSettings.MASS_DELETE;
  private static final Set<String> DELETE_VERBS = Set.of("delete", "deletecollection");

  private MassDeleteDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, Burst settings) {
    return BurstWindow.build(events, TYPE, settings, MassDeleteDetector::matches, MassDeleteDetector::item,
        (trigger, evidence, start, end) -> alert(trigger, evidence, start, end, settings));
  }

  static boolean matches(VigilEvent e) {
    RequestReceived r = Events.kubeRequest(e);
    return r != null && Events.allowed(r) && DELETE_VERBS.contains(Events.kube(e).getVerb());
  }

  private static Item item(VigilEvent e) {
    KubernetesRequestInfo k = Events.kube(e);
    String detail = k.getVerb() + " " + Events.resourcePath(k) + " " + Events.objectRef(k);
    return new Item(e.getEventId(), e.getTime().toEpochMilli(), k.getNamespace(), Events.resourcePath(k), detail);
  }

  private static Alert alert(VigilEvent trigger, List<Item> evidence, long start, long end, Burst settings) {
    long collections = evidence.stream().filter(i -> i.detail().startsWith("deletecollection ")).count();
    String description = Alerts.who(trigger) + " made " + evidence.size() + " delete calls within "
        + BurstWindow.human(settings.window()) + " (window " + Instant.ofEpochMilli(start) + " to "
        + Instant.ofEpochMilli(end) + "): " + BurstWindow.summary(evidence)
        + (collections > 0 ? "; " + collections + " of them deletecollection" : "");
    Map<String, String> a = new TreeMap<>();
    a.put("count", Integer.toString(evidence.size()));
    a.put("threshold", Integer.toString(settings.threshold()));
    a.put("window", settings.window().toString());
    a.put("windowStart", Instant.ofEpochMilli(start).toString());
    a.put("windowEnd", Instant.ofEpochMilli(end).toString());
    Events.putIf(a, "namespaces", BurstWindow.distinct(evidence, Item::namespace));
    Events.putIf(a, "resources", BurstWindow.distinct(evidence, Item::resource));
    a.put("decision", "ALLOW");
    long time = evidence.stream().mapToLong(Item::time).max().orElse(trigger.getTime().toEpochMilli());
    return Alerts.alert(Alerts.id(TYPE, trigger.getSessionKey(), Long.toString(start), Long.toString(end)), TYPE,
        Severity.HIGH, trigger, time, evidence.stream().map(Item::eventId).toList(), description, a);
  }
}

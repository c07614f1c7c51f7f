package dev.vigil.streams.detect;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

import dev.vigil.schema.Alert;
import dev.vigil.schema.VigilEvent;

/**
 * Assembles the enabled detectors over the event stream. Every processor, state store and internal topic is named
 * {@code detect-<detector>-...}, so switching a detector on or off does not rename another's changelog or
 * repartition topic. See the stream-processors README, section Detectors.
 */
public final class Detectors {

  private Detectors() {}

  /**
   * Adds the enabled detectors to the topology.
   *
   * @param events keyed by session key, decoded and de-duplicated
   * @return the alerts, keyed by session key and co-partitioned with {@code events} (detectors that work per identity
   *     repartition their alerts back by session key); {@code sessionId} is left null for the sessionizer to stamp
   */
  public static KStream<String, Alert> build(KStream<String, VigilEvent> events, DetectorSettings settings) {
    KStream<String, VigilEvent> timed = events.processValues(EventTime::new, Named.as("detect-event-time"));
    List<KStream<String, Alert>> alerts = new ArrayList<>();
    if (settings.secretLeakage().enabled()) {
      alerts.add(SecretLeakageDetector.build(timed, settings.secretLeakage()));
    }
    if (settings.crossChannelExfiltration().enabled()) {
      alerts.add(CrossChannelExfiltrationDetector.build(timed, settings.crossChannelExfiltration()));
    }
    if (settings.privilegeEscalation().enabled()) {
      alerts.add(PrivilegeEscalationDetector.build(timed, settings.privilegeEscalation()));
    }
    if (settings.execIntoPod().enabled()) {
      alerts.add(ExecIntoPodDetector.build(timed, settings.execIntoPod()));
    }
    if (settings.massDelete().enabled()) {
      alerts.add(MassDeleteDetector.build(timed, settings.massDelete()));
    }
    if (settings.denyBurst().enabled()) {
      alerts.add(DenyBurstDetector.build(timed, settings.denyBurst()));
    }
    if (settings.firstNamespaceAccess().enabled()) {
      alerts.add(FirstNamespaceAccessDetector.build(timed, settings.firstNamespaceAccess()));
    }
    if (alerts.isEmpty()) {
      return timed.flatMapValues(e -> List.<Alert>of(), Named.as("detect-none"));
    }
    KStream<String, Alert> all = alerts.get(0);
    for (int i = 1; i < alerts.size(); i++) {
      all = all.merge(alerts.get(i), Named.as("detect-merge-" + i));
    }
    return all;
  }
}

package dev.vigil.streams.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Finding;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.Severity;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.StreamKind;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.detect.DetectorSettings.SecretLeakage;

/**
 * secret-leakage: a credential (a finding whose kind is not in {@code ignored-kinds}: by default everything but the
 * {@code k8s-secret} values of Secret objects) where it does not belong:
 * <ul>
 *   <li>{@code llm}: in an LLM-channel request (sent to a model provider);</li>
 *   <li>{@code configmap}: anywhere in a create/update/patch of a ConfigMap;</li>
 *   <li>{@code env}, {@code args}: under a container's {@code env} (or {@code command}/{@code args}) in a
 *       create/update/patch of any object but a Secret;</li>
 *   <li>{@code annotation}: under {@code metadata.annotations} of such a write;</li>
 *   <li>{@code logs}: in a pod log, followed ({@code LOGS} StreamFrame) or not (the {@code pods/log} response).</li>
 * </ul>
 * Severity CRITICAL when a private key is involved ({@code critical-kinds}: pem-private-key, gcp-service-account),
 * else HIGH; MEDIUM when the gateway denied the request (the credential did not get through, the attempt is still
 * reported). One alert per event, listing its credentials (kinds, fingerprints, locations — never a value).
 *
 * <p>Repeats: an LLM conversation re-sends its whole history on every turn, and re-applying a manifest re-writes the
 * same value, so the same (session key, place, fingerprint) is reported once per {@code repeat-suppression} period
 * (default 1h; 0 = every time) — state in the changelogged window store {@code detect-secret-leakage-repeats}.
 */
final class SecretLeakageDetector {

  static final String TYPE = DetectorSettings.SECRET_LEAKAGE;
  static final String STORE = "detect-secret-leakage-repeats";

  private static final Pattern ENV = Pattern.compile("(^|[./\\]])env([.\\[/@]|$)");
  private static final Pattern ARGS = Pattern.compile("(^|[./\\]])(args|command)([.\\[/@]|$)");
  private static final Pattern ANNOTATIONS = Pattern.compile("(^|[./\\]])metadata[./]annotations([.\\[/@]|$)");
  private static final int MAX_LOCATIONS = 20;

  /** A credential at a place: what the alert reports and what repeats are keyed on. */
  record Leak(String place, Finding finding) {}

  private SecretLeakageDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, SecretLeakage settings) {
    Duration suppression = settings.repeatSuppression();
    FixedKeyProcessorSupplier<String, VigilEvent, Alert> supplier = new FixedKeyProcessorSupplier<>() {
      @Override
      public FixedKeyProcessor<String, VigilEvent, Alert> get() {
        return new Detector(settings);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        if (suppression.isZero()) {
          return Set.of();
        }
        return Set.of(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(STORE, suppression, Duration.ofMillis(1), false),
            Serdes.String(), Serdes.String()));
      }
    };
    return events.processValues(supplier, Named.as("detect-" + TYPE));
  }

  /** The event's credentials at places they do not belong (before repeat suppression). */
  static List<Leak> leaks(VigilEvent e, SecretLeakage settings) {
    List<Leak> out = new ArrayList<>();
    Object p = e.getPayload();
    KubernetesRequestInfo k = Events.kube(e);
    if (p instanceof RequestReceived r && Events.isLlm(e)) {
      credentials(r.getFindings(), settings).forEach(f -> out.add(new Leak("llm", f)));
    } else if (p instanceof RequestReceived r && k != null && Events.WRITE_VERBS.contains(k.getVerb())
        && !"secrets".equals(k.getResource())) {
      boolean configMap = "configmaps".equals(k.getResource());
      for (Finding f : credentials(r.getFindings(), settings)) {
        String loc = f.getLocation() == null ? "" : f.getLocation();
        if (configMap) {
          out.add(new Leak("configmap", f));
        } else if (ENV.matcher(loc).find()) {
          out.add(new Leak("env", f));
        } else if (ARGS.matcher(loc).find()) {
          out.add(new Leak("args", f));
        } else if (ANNOTATIONS.matcher(loc).find()) {
          out.add(new Leak("annotation", f));
        }
      }
    } else if (p instanceof StreamFrame s && s.getStream() == StreamKind.LOGS) {
      credentials(s.getFindings(), settings).forEach(f -> out.add(new Leak("logs", f)));
    } else if (p instanceof ResponseCompleted c && k != null && "pods".equals(k.getResource())
        && "log".equals(k.getSubresource())) {
      credentials(c.getFindings(), settings).forEach(f -> out.add(new Leak("logs", f)));
    }
    return out;
  }

  private static List<Finding> credentials(List<Finding> findings, SecretLeakage settings) {
    return findings == null ? List.of()
        : findings.stream().filter(f -> f.getKind() != null && !settings.ignoredKinds().contains(f.getKind()))
            .toList();
  }

  static Alert alert(VigilEvent e, List<Leak> leaks, SecretLeakage settings) {
    RequestReceived r = Events.request(e);
    boolean denied = r != null && Events.denied(r);
    boolean critical = leaks.stream().anyMatch(l -> settings.criticalKinds().contains(l.finding().getKind()));
    Severity severity = denied ? Severity.MEDIUM : critical ? Severity.CRITICAL : Severity.HIGH;
    Set<String> places = new LinkedHashSet<>();
    Set<String> kinds = new LinkedHashSet<>();
    Set<String> fingerprints = new LinkedHashSet<>();
    Set<String> locations = new LinkedHashSet<>();
    List<String> shown = new ArrayList<>();
    for (Leak l : leaks) {
      places.add(l.place());
      kinds.add(l.finding().getKind());
      if (fingerprints.add(l.finding().getFingerprint())) {
        shown.add(l.finding().getKind() + " " + shortFp(l.finding().getFingerprint()));
      }
      if (locations.size() < MAX_LOCATIONS) {
        locations.add(l.finding().getLocation());
      }
    }
    Map<String, String> a = Events.attributes(e);
    a.put("leak", String.join(",", places));
    a.put("kinds", String.join(",", kinds));
    a.put("fingerprints", String.join(",", fingerprints));
    a.put("fingerprint", fingerprints.iterator().next());
    a.put("locations", String.join(",", locations));
    String creds = (fingerprints.size() == 1 ? "a credential (" : fingerprints.size() + " credentials (")
        + String.join(", ", shown) + ")";
    String description = Alerts.who(e) + " " + what(e, places, creds) + (denied ? " (denied by the gateway)" : "");
    return Alerts.alert(Alerts.id(TYPE, e.getEventId()), TYPE, severity, e, e.getTime().toEpochMilli(),
        List.of(e.getEventId()), description, a);
  }

  private static String what(VigilEvent e, Set<String> places, String creds) {
    KubernetesRequestInfo k = Events.kube(e);
    if (places.contains("llm")) {
      return "sent " + creds + " to the LLM API (" + e.getRequest().getMethod() + " " + e.getRequest().getPath() + ")";
    }
    if (places.contains("logs")) {
      return "received " + creds + " in the logs of pod " + (k == null ? "?" : Events.objectRef(k));
    }
    String into = String.join(" and ", places.stream().map(p -> switch (p) {
      case "configmap" -> "a ConfigMap";
      case "env" -> "environment variables";
      case "args" -> "container arguments";
      case "annotation" -> "annotations";
      default -> p;
    }).toList());
    return "wrote " + creds + " into " + into + " (" + k.getVerb() + " " + Events.resourcePath(k) + " "
        + Events.objectRef(k) + ")";
  }

  /** The first 8 hex characters: enough to tell credentials apart in a sentence; the attributes have all 32. */
  static String shortFp(String fp) {
    return fp == null ? "?" : "fingerprint " + (fp.length() > 8 ? fp.substring(0, 8) + "\u2026" : fp);
  }

  private static final class Detector implements FixedKeyProcessor<String, VigilEvent, Alert> {
    private final SecretLeakage settings;
    private final long suppression;
    private FixedKeyProcessorContext<String, Alert> context;
    private WindowStore<String, String> seen;

    Detector(SecretLeakage settings) {
      this.settings = settings;
      this.suppression = settings.repeatSuppression().toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
      this.context = context;
      this.seen = suppression == 0 ? null : context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, VigilEvent> record) {
      VigilEvent e = record.value();
      List<Leak> leaks = leaks(e, settings);
      if (leaks.isEmpty()) {
        return;
      }
      long t = e.getTime().toEpochMilli();
      if (seen != null) {
        List<Leak> fresh = new ArrayList<>();
        Set<String> now = new HashSet<>();
        for (Leak l : leaks) {
          String key = record.key() + '\u0000' + l.place() + '\u0000' + l.finding().getFingerprint();
          if (now.contains(key) || !reportedAround(key, t)) {
            fresh.add(l);
            now.add(key);
            seen.put(key, e.getEventId(), t);
          }
        }
        leaks = fresh;
      }
      if (!leaks.isEmpty()) {
        context.forward(record.withValue(alert(e, leaks, settings)));
      }
    }

    private boolean reportedAround(String key, long t) {
      try (WindowStoreIterator<String> it = seen.fetch(key, Math.max(0, t - suppression), t + suppression)) {
        return it.hasNext();
      }
    }
  }
}

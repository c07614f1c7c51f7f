package dev.vigil.streams.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Alert;
import dev.vigil.schema.Identity;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.Severity;
import dev.vigil.schema.VigilEvent;
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.detect.DetectorSettings.FirstNamespaceAccess;

/**
 * first-namespace-access: an identity (username, across all its session keys) makes an allowed Kubernetes request in
 * a namespace it never touched before, once its learning period is over. The learning period starts at the identity's
 * first event seen by the detector (event time); every namespace touched during it joins the baseline silently. With
 * {@code learning-period} 0 the first namespace ever seen is the baseline and every further new namespace alerts.
 * LOW, MEDIUM in a {@code sensitive-namespaces} one. One alert per identity and namespace, ever (the namespace joins
 * the baseline). Cluster-scoped requests, denied requests and unauthenticated callers are not considered. An identity
 * whose baseline reaches {@code max-namespaces} is saturated: it is everywhere, so nothing is new any more.
 *
 * <p>Accesses are re-keyed by username and repartitioned ({@code detect-first-namespace-access-by-identity}); the
 * baseline is a changelogged key-value store ({@code detect-first-namespace-access-baseline}); alerts are re-keyed by
 * session key and repartitioned ({@code detect-first-namespace-access-alerts}).
 */
final class FirstNamespaceAccessDetector {

  static final String TYPE = DetectorSettings.FIRST_NAMESPACE_ACCESS;
  static final String STORE = "detect-" + TYPE + "-baseline";

  private static final Logger LOG = LoggerFactory.getLogger(FirstNamespaceAccessDetector.class);

  /** One allowed namespaced request, as much of it as the alert needs. */
  record Access(String eventId, String sessionKey, long time, Identity identity, String namespace, String verb,
      String resource, String name) {}

  /** What an identity is known to touch: since when, which namespaces, whether the cap was reached. */
  record Baseline(long firstSeen, Set<String> namespaces, boolean saturated) {}

  static final Serde<Access> ACCESS_SERDE = StateSerde.of("namespace access", 1,
      FirstNamespaceAccessDetector::writeAccess, FirstNamespaceAccessDetector::readAccess);
  static final Serde<Baseline> BASELINE_SERDE = StateSerde.of("namespace baseline", 1,
      FirstNamespaceAccessDetector::writeBaseline, FirstNamespaceAccessDetector::readBaseline);

  private FirstNamespaceAccessDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, FirstNamespaceAccess settings) {
    FixedKeyProcessorSupplier<String, Access, Alert> supplier = new FixedKeyProcessorSupplier<>() {
      @Override
      public FixedKeyProcessor<String, Access, Alert> get() {
        return new Learner(settings);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
            BASELINE_SERDE));
      }
    };
    return events
        .flatMap((k, e) -> {
          Access a = access(e);
          return a == null ? List.<KeyValue<String, Access>>of() : List.of(KeyValue.pair(a.identity().getUsername(), a));
        }, Named.as("detect-" + TYPE + "-by-username"))
        .repartition(Repartitioned.with(Serdes.String(), ACCESS_SERDE).withName("detect-" + TYPE + "-by-identity"))
        .processValues(supplier, Named.as("detect-" + TYPE))
        .selectKey((k, alert) -> alert.getSessionKey(), Named.as("detect-" + TYPE + "-by-session"))
        .repartition(Repartitioned.with(Serdes.String(), VigilSerdes.alerts()).withName("detect-" + TYPE + "-alerts"));
  }

  /** The allowed namespaced Kubernetes request of an authenticated caller, else null. */
  static Access access(VigilEvent e) {
    RequestReceived r = Events.kubeRequest(e);
    if (r == null || !Events.allowed(r) || !Events.authenticated(e)) {
      return null;
    }
    KubernetesRequestInfo k = Events.kube(e);
    if (k.getNamespace() == null || k.getNamespace().isEmpty()) {
      return null;
    }
    return new Access(e.getEventId(), e.getSessionKey(), e.getTime().toEpochMilli(), e.getIdentity(),
        k.getNamespace(), k.getVerb(), Events.resourcePath(k), k.getName());
  }

  private static final class Learner implements FixedKeyProcessor<String, Access, Alert> {
    private final FirstNamespaceAccess settings;
    private FixedKeyProcessorContext<String, Alert> context;
    private KeyValueStore<String, Baseline> store;

    Learner(FirstNamespaceAccess settings) {
      this.settings = settings;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
      this.context = context;
      this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Access> record) {
      Access a = record.value();
      Baseline b = store.get(record.key());
      if (b == null) {
        store.put(record.key(), new Baseline(a.time(), Set.of(a.namespace()), false));
        return;
      }
      long firstSeen = Math.min(b.firstSeen(), a.time());
      if (b.namespaces().contains(a.namespace()) || b.saturated()) {
        if (firstSeen != b.firstSeen()) {
          store.put(record.key(), new Baseline(firstSeen, b.namespaces(), b.saturated()));
        }
        return;
      }
      Set<String> known = new TreeSet<>(b.namespaces());
      boolean saturated = known.size() >= settings.maxNamespaces();
      if (saturated) {
        LOG.warn("first-namespace-access: identity {} has touched {} namespaces (max-namespaces); no further "
            + "first-access alerts for it", record.key(), known.size());
      } else {
        known.add(a.namespace());
      }
      store.put(record.key(), new Baseline(firstSeen, Set.copyOf(known), saturated));
      boolean learning = a.time() < firstSeen + settings.learningPeriod().toMillis();
      if (!learning && !saturated) {
        Alert alert = alert(record.key(), a, b, firstSeen, settings);
        context.forward(record.withValue(alert).withTimestamp(a.time()));
      }
    }
  }

  static Alert alert(String username, Access a, Baseline before, long firstSeen, FirstNamespaceAccess settings) {
    boolean sensitive = settings.sensitiveNamespaces().contains(a.namespace());
    List<String> known = new ArrayList<>(new TreeSet<>(before.namespaces()));
    String knownText = known.size() <= 10 ? String.join(", ", known)
        : String.join(", ", known.subList(0, 10)) + " and " + (known.size() - 10) + " more";
    String description = Alerts.who(username, a.sessionKey()) + " accessed namespace " + a.namespace()
        + " for the first time (" + a.verb() + " " + a.resource() + (a.name() == null ? "" : " " + a.name())
        + "); namespaces it used since " + Instant.ofEpochMilli(firstSeen) + ": " + knownText
        + (sensitive ? "; " + a.namespace() + " is a sensitive namespace" : "");
    Map<String, String> attrs = new TreeMap<>();
    attrs.put("channel", "KUBERNETES");
    attrs.put("namespace", a.namespace());
    Events.putIf(attrs, "verb", a.verb());
    Events.putIf(attrs, "resource", a.resource());
    Events.putIf(attrs, "name", a.name());
    attrs.put("decision", "ALLOW");
    attrs.put("baselineSize", Integer.toString(known.size()));
    attrs.put("baselineSince", Instant.ofEpochMilli(firstSeen).toString());
    attrs.put("learningPeriod", settings.learningPeriod().toString());
    attrs.put("sensitiveNamespace", Boolean.toString(sensitive));
    return Alerts.alert(Alerts.id(TYPE, username, a.namespace()), TYPE, sensitive ? Severity.MEDIUM : Severity.LOW,
        a.sessionKey(), a.identity(), a.time(), List.of(a.eventId()), description, attrs);
  }

  private static void writeAccess(DataOutputStream out, Access a) throws IOException {
    StateSerde.writeString(out, a.eventId());
    StateSerde.writeString(out, a.sessionKey());
    out.writeLong(a.time());
    StateSerde.writeIdentity(out, a.identity());
    StateSerde.writeString(out, a.namespace());
    StateSerde.writeString(out, a.verb());
    StateSerde.writeString(out, a.resource());
    StateSerde.writeString(out, a.name());
  }

  private static Access readAccess(DataInputStream in) throws IOException {
    return new Access(StateSerde.readString(in), StateSerde.readString(in), in.readLong(),
        StateSerde.readIdentity(in), StateSerde.readString(in), StateSerde.readString(in), StateSerde.readString(in),
        StateSerde.readString(in));
  }

  private static void writeBaseline(DataOutputStream out, Baseline b) throws IOException {
    out.writeLong(b.firstSeen());
    out.writeBoolean(b.saturated());
    StateSerde.writeStrings(out, new ArrayList<>(new TreeSet<>(b.namespaces())));
  }

  private static Baseline readBaseline(DataInputStream in) throws IOException {
    long firstSeen = in.readLong();
    boolean saturated = in.readBoolean();
    return new Baseline(firstSeen, Set.copyOf(StateSerde.readStrings(in)), saturated);
  }
}

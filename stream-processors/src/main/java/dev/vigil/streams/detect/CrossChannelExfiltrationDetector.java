package dev.vigil.streams.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
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
import dev.vigil.schema.serde.VigilSerdes;
import dev.vigil.streams.detect.DetectorSettings.CrossChannelExfiltration;

/**
 * cross-channel-exfiltration: the fingerprint of a Secret value an identity read through Kubernetes (a
 * {@code source-kinds} finding, default {@code k8s-secret}, in a KUBERNETES-channel response body or WATCH frame)
 * appears in an LLM-channel request of the same identity (username), whatever session either was in, within
 * {@code ttl} (default 24h) after the read. CRITICAL (HIGH when the gateway denied the LLM request).
 *
 * <p>A stream–table join on (username, fingerprint): reads and LLM findings become {@link Sighting}s (fingerprints,
 * kinds, locations, names — no value ever exists here), re-keyed {@code username NUL fingerprint} and repartitioned
 * ({@code detect-cross-channel-exfiltration-by-identity}) so one task sees all of an identity's sightings of a value.
 * The reads are the table: a changelogged window store ({@code -reads}) retained for ttl + grace. An LLM request
 * joins the latest read in [its time − ttl, its time + grace] (grace absorbs clock skew between gateways). Because
 * the repartition interleaves partitions, an LLM request may arrive before the read it follows: unmatched LLM
 * sightings are buffered for grace ({@code -uses}) and joined when the read arrives. One alert per read and value: an
 * LLM conversation re-sends its history on every turn, so later requests joining an already-reported read (or any
 * read within the TTL of an alerted one) do not alert again. The alerts are re-keyed by the LLM request's session key
 * and repartitioned ({@code detect-cross-channel-exfiltration-alerts}) to be co-partitioned with the events.
 */
final class CrossChannelExfiltrationDetector {

  static final String TYPE = DetectorSettings.CROSS_CHANNEL_EXFILTRATION;
  static final String READS = "detect-" + TYPE + "-reads";
  static final String USES = "detect-" + TYPE + "-uses";

  private static final Pattern LOCATION_TOKEN = Pattern.compile("\\[(\\d+)\\]|([^.\\[\\]]+)");

  private CrossChannelExfiltrationDetector() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, CrossChannelExfiltration settings) {
    long ttl = settings.ttl().toMillis();
    long grace = settings.grace().toMillis();
    FixedKeyProcessorSupplier<String, Sighting, Alert> joiner = new FixedKeyProcessorSupplier<>() {
      @Override
      public FixedKeyProcessor<String, Sighting, Alert> get() {
        return new Joiner(ttl, grace);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(
            Stores.windowStoreBuilder(Stores.persistentWindowStore(READS, Duration.ofMillis(ttl + grace),
                Duration.ofMillis(1), false), Serdes.String(), Sighting.SERDE),
            Stores.windowStoreBuilder(Stores.persistentWindowStore(USES, Duration.ofMillis(Math.max(grace, 1)),
                Duration.ofMillis(1), false), Serdes.String(), Sighting.SERDE));
      }
    };
    return events
        .flatMap((k, e) -> sightings(e, settings), Named.as("detect-" + TYPE + "-sightings"))
        .repartition(Repartitioned.with(Serdes.String(), Sighting.SERDE).withName("detect-" + TYPE + "-by-identity"))
        .processValues(joiner, Named.as("detect-" + TYPE + "-join"))
        .selectKey((k, alert) -> alert.getSessionKey(), Named.as("detect-" + TYPE + "-by-session"))
        .repartition(Repartitioned.with(Serdes.String(), VigilSerdes.alerts()).withName("detect-" + TYPE + "-alerts"));
  }

  /** The event's sightings keyed {@code username NUL fingerprint}, one per distinct fingerprint. */
  static List<KeyValue<String, Sighting>> sightings(VigilEvent e, CrossChannelExfiltration settings) {
    if (!Events.authenticated(e)) {
      return List.of();
    }
    KubernetesRequestInfo k = Events.kube(e);
    Object p = e.getPayload();
    boolean read = k != null && (p instanceof ResponseCompleted
        || p instanceof StreamFrame s && s.getStream() == StreamKind.WATCH);
    RequestReceived llm = Events.isLlm(e) ? Events.request(e) : null;
    if (!read && llm == null) {
      return List.of();
    }
    List<JsonNode> docs = null;
    List<KeyValue<String, Sighting>> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (Finding f : Events.findings(e)) {
      if (f.getFingerprint() == null || f.getFingerprint().isEmpty()
          || read && !settings.sourceKinds().contains(f.getKind()) || !done.add(f.getFingerprint())) {
        continue;
      }
      String ns = null;
      String name = null;
      String via;
      if (read) {
        if (docs == null) {
          docs = BodyJson.parseAll(p instanceof ResponseCompleted c ? c.getBody() : ((StreamFrame) p).getData());
        }
        JsonNode meta = secretMetadata(docs, f.getLocation());
        ns = meta == null ? k.getNamespace() : meta.path("namespace").asText(k.getNamespace());
        name = meta == null ? k.getName() : meta.path("name").asText(k.getName());
        via = k.getVerb() + " " + Events.resourcePath(k);
      } else {
        via = e.getRequest().getMethod() + " " + e.getRequest().getPath();
      }
      Sighting s = new Sighting(read, e.getEventId(), e.getSessionKey(), e.getTime().toEpochMilli(), e.getIdentity(),
          f.getKind(), f.getLocation(), f.getFingerprint(), ns, name, via, llm == null || Events.allowed(llm), false);
      out.add(KeyValue.pair(e.getIdentity().getUsername() + '\u0000' + f.getFingerprint(), s));
    }
    return out;
  }

  /**
   * The {@code metadata} of the object holding the value at {@code location} ({@code items[2].data.password},
   * {@code object.data.key}, {@code [1].object.data.x}, {@code data.tls.key#line3}): the path is walked up to its
   * {@code data}/{@code stringData} segment. Null when the body is unknown or the path does not lead there.
   */
  static JsonNode secretMetadata(List<JsonNode> docs, String location) {
    if (docs.isEmpty() || location == null) {
      return null;
    }
    String path = location.replaceAll("[#@].*$", "");
    Matcher m = LOCATION_TOKEN.matcher(path);
    JsonNode node = docs.get(0);
    boolean first = true;
    while (m.find()) {
      if (m.group(1) != null) {
        int i = Integer.parseInt(m.group(1));
        node = first && docs.size() > 1 ? (i < docs.size() ? docs.get(i) : null) : node.get(i);
      } else if ("data".equals(m.group(2)) || "stringData".equals(m.group(2))) {
        JsonNode meta = node.get("metadata");
        return meta != null && meta.isObject() ? meta : null;
      } else {
        node = node.get(m.group(2));
      }
      first = false;
      if (node == null) {
        return null;
      }
    }
    return null;
  }

  private static final class Joiner implements FixedKeyProcessor<String, Sighting, Alert> {
    private final long ttl;
    private final long grace;
    private FixedKeyProcessorContext<String, Alert> context;
    private WindowStore<String, Sighting> reads;
    private WindowStore<String, Sighting> uses;

    Joiner(long ttl, long grace) {
      this.ttl = ttl;
      this.grace = grace;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
      this.context = context;
      this.reads = context.getStateStore(READS);
      this.uses = context.getStateStore(USES);
    }

    @Override
    public void process(FixedKeyRecord<String, Sighting> record) {
      Sighting s = record.value();
      String key = record.key();
      if (s.read()) {
        Sighting existing = reads.fetch(key, s.time());
        if (existing != null && (existing.eventId().equals(s.eventId()) || existing.alerted())) {
          return; // the same read again, or another read in the same millisecond that already alerted
        }
        reads.put(key, s, s.time());
        Sighting use = earliestUse(key, s.time());
        if (use != null && !reportedAround(key, use.time())) {
          report(record, s, use);
        }
        return;
      }
      if (reportedAround(key, s.time())) {
        return;
      }
      Sighting read = latestRead(key, s.time());
      if (read == null) {
        uses.put(key, s, s.time());
        return;
      }
      report(record, read, s);
    }

    private void report(FixedKeyRecord<String, Sighting> record, Sighting read, Sighting use) {
      reads.put(record.key(), read.reported(), read.time());
      Alert a = alert(read, use);
      context.forward(record.withValue(a).withTimestamp(use.time()));
    }

    /** Whether a read of this value within the TTL before {@code useTime} (or grace after) already alerted. */
    private boolean reportedAround(String key, long useTime) {
      try (WindowStoreIterator<Sighting> it = reads.fetch(key, Math.max(0, useTime - ttl), useTime + grace)) {
        while (it.hasNext()) {
          if (it.next().value.alerted()) {
            return true;
          }
        }
      }
      return false;
    }

    private Sighting latestRead(String key, long useTime) {
      try (WindowStoreIterator<Sighting> it = reads.backwardFetch(key, Math.max(0, useTime - ttl),
          useTime + grace)) {
        return it.hasNext() ? it.next().value : null;
      }
    }

    private Sighting earliestUse(String key, long readTime) {
      try (WindowStoreIterator<Sighting> it = uses.fetch(key, Math.max(0, readTime - grace), readTime + ttl)) {
        return it.hasNext() ? it.next().value : null;
      }
    }
  }

  static Alert alert(Sighting read, Sighting use) {
    String secret = (read.namespace() == null ? "" : read.namespace() + "/") + (read.name() == null ? "?" : read.name());
    long minutes = Math.max(0, use.time() - read.time()) / 60_000;
    String description = Alerts.who(use.identity().getUsername(), use.sessionKey()) + " sent to the LLM API ("
        + use.via() + ") a value of Secret " + secret + " (" + read.location() + ", "
        + SecretLeakageDetector.shortFp(read.fingerprint()) + ") it read through Kubernetes "
        + (minutes == 0 ? "less than a minute" : minutes + " min") + " earlier (" + read.via()
        + (read.sessionKey().equals(use.sessionKey()) ? "" : ", session " + read.sessionKey()) + ")"
        + (use.allowed() ? "" : "; the LLM request was denied by the gateway");
    Map<String, String> a = new TreeMap<>();
    a.put("channel", "LLM");
    a.put("fingerprint", read.fingerprint());
    a.put("kind", read.kind());
    a.put("llmKind", use.kind());
    Events.putIf(a, "secretLocation", read.location());
    Events.putIf(a, "llmLocation", use.location());
    Events.putIf(a, "namespace", read.namespace());
    Events.putIf(a, "name", read.name());
    a.put("resource", "secrets");
    a.put("readVia", read.via());
    a.put("readSessionKey", read.sessionKey());
    a.put("readTime", Instant.ofEpochMilli(read.time()).toString());
    a.put("path", use.via());
    a.put("decision", use.allowed() ? "ALLOW" : "DENY");
    return Alerts.alert(Alerts.id(TYPE, use.identity().getUsername(), read.fingerprint(), read.eventId()), TYPE,
        use.allowed() ? Severity.CRITICAL : Severity.HIGH, use.sessionKey(), use.identity(), use.time(),
        List.of(read.eventId(), use.eventId()), description, a);
  }
}

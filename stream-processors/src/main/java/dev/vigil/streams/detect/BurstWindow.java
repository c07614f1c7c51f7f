package dev.vigil.streams.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.serialization.Serde;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.schema.Alert;
import dev.vigil.schema.VigilEvent;
import dev.vigil.streams.detect.DetectorSettings.Burst;

/**
 * Counts matching events per session key (the record key, so no repartition) in tumbling event-time windows aligned
 * to the epoch, and raises one alert per window as soon as the count reaches the threshold — not when the window
 * closes, so the alert is as early as the evidence. Later matches in the same window add nothing. An event whose
 * window ended more than {@code grace} before the latest event time seen is late and ignored. The windows live in a
 * changelogged window store ({@code detect-<name>-windows}) retained for window + grace.
 */
final class BurstWindow {

  private static final Logger LOG = LoggerFactory.getLogger(BurstWindow.class);

  /** One counted event: what the alert's evidence and description need. */
  record Item(String eventId, long time, String namespace, String resource, String detail) {}

  /** A window's state: the evidence (up to the threshold) and whether it alerted. */
  record Window(List<Item> items, boolean alerted) {}

  /** Builds the alert once a window reaches the threshold. */
  interface AlertMaker {
    Alert make(VigilEvent trigger, List<Item> evidence, long windowStart, long windowEnd);
  }

  static final Serde<Window> WINDOW_SERDE = StateSerde.of("burst window", 1, BurstWindow::write, BurstWindow::read);

  private BurstWindow() {}

  static KStream<String, Alert> build(KStream<String, VigilEvent> events, String name, Burst settings,
      Predicate<VigilEvent> matches, Function<VigilEvent, Item> item, AlertMaker maker) {
    String storeName = "detect-" + name + "-windows";
    long size = settings.window().toMillis();
    long grace = settings.grace().toMillis();
    FixedKeyProcessorSupplier<String, VigilEvent, Alert> supplier = new FixedKeyProcessorSupplier<>() {
      @Override
      public FixedKeyProcessor<String, VigilEvent, Alert> get() {
        return new Counter(storeName, size, grace, settings.threshold(), item, maker);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.windowStoreBuilder(
            Stores.persistentWindowStore(storeName, Duration.ofMillis(size + grace), Duration.ofMillis(size), false),
            Serdes.String(), WINDOW_SERDE));
      }
    };
    return events
        .filter((k, e) -> matches.test(e), Named.as("detect-" + name + "-match"))
        .processValues(supplier, Named.as("detect-" + name));
  }

  private static final class Counter implements FixedKeyProcessor<String, VigilEvent, Alert> {
    private final String storeName;
    private final long size;
    private final long grace;
    private final int threshold;
    private final Function<VigilEvent, Item> item;
    private final AlertMaker maker;
    private FixedKeyProcessorContext<String, Alert> context;
    private WindowStore<String, Window> store;
    private long observed = Long.MIN_VALUE;

    Counter(String storeName, long size, long grace, int threshold, Function<VigilEvent, Item> item,
        AlertMaker maker) {
      this.storeName = storeName;
      this.size = size;
      this.grace = grace;
      this.threshold = threshold;
      this.item = item;
      this.maker = maker;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Alert> context) {
      this.context = context;
      this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, VigilEvent> record) {
      long t = record.timestamp();
      observed = Math.max(observed, t);
      long start = t - Math.floorMod(t, size);
      long end = start + size;
      if (end + grace <= observed) {
        LOG.debug("{}: event {} at {} is later than the window's grace, ignored", storeName,
            record.value().getEventId(), t);
        return;
      }
      Window w = store.fetch(record.key(), start);
      if (w == null) {
        w = new Window(List.of(), false);
      }
      String id = record.value().getEventId();
      if (w.alerted() || w.items().stream().anyMatch(i -> i.eventId().equals(id))) {
        return;
      }
      List<Item> items = new ArrayList<>(w.items());
      items.add(item.apply(record.value()));
      boolean alert = items.size() >= threshold;
      store.put(record.key(), new Window(List.copyOf(items), alert), start);
      if (alert) {
        items.sort(Comparator.comparingLong(Item::time).thenComparing(Item::eventId));
        Alert a = maker.make(record.value(), items, start, end);
        context.forward(record.withValue(a).withTimestamp(a.getTime().toEpochMilli()));
      }
    }
  }

  /** {@code "pods in team-a ×8, configmaps in team-a ×2"}: the evidence grouped by resource and namespace. */
  static String summary(List<Item> items) {
    Map<String, Integer> groups = new TreeMap<>();
    for (Item i : items) {
      String what = (i.resource() == null || i.resource().isEmpty() ? "?" : i.resource())
          + (i.namespace() == null || i.namespace().isEmpty() ? " (cluster-wide)" : " in " + i.namespace());
      groups.merge(what, 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    groups.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" \u00d7").append(v));
    return sb.toString();
  }

  /** The distinct non-empty values, sorted, comma-separated (at most 20, then "…"). */
  static String distinct(List<Item> items, Function<Item, String> field) {
    List<String> values = items.stream().map(field).filter(v -> v != null && !v.isEmpty()).distinct().sorted()
        .toList();
    return values.size() <= 20 ? String.join(",", values) : String.join(",", values.subList(0, 20)) + ",\u2026";
  }

  /** "1m", "90s", "2h", "500ms": a window length for descriptions. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static void write(DataOutputStream out, Window w) throws IOException {
    out.writeBoolean(w.alerted());
    out.writeInt(w.items().size());
    for (Item i : w.items()) {
      StateSerde.writeString(out, i.eventId());
      out.writeLong(i.time());
      StateSerde.writeString(out, i.namespace());
      StateSerde.writeString(out, i.resource());
      StateSerde.writeString(out, i.detail());
    }
  }

  private static Window read(DataInputStream in) throws IOException {
    boolean alerted = in.readBoolean();
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad item count " + n);
    }
    List<Item> items = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      items.add(new Item(StateSerde.readString(in), in.readLong(), StateSerde.readString(in),
          StateSerde.readString(in), StateSerde.readString(in)));
    }
    return new Window(List.copyOf(items), alerted);
  }
}

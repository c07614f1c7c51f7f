package dev.vigil.bench.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything one run measured, merged over rounds, plus what the report needs to describe the run. */
final class Results {

  final BenchArgs args;
  final RequestMix mix;
  final List<Topology.Target> targets;
  final String nginxNote;
  /** target key -> rate -> merged phase. */
  final Map<String, Map<Double, PhaseResult>> openLoop = new LinkedHashMap<>();
  final Map<String, PhaseResult> saturation = new LinkedHashMap<>();
  final List<String> order = new ArrayList<>();
  long wallMillis;

  Results(BenchArgs args, RequestMix mix, List<Topology.Target> targets, String nginxNote) {
    this.args = args;
    this.mix = mix;
    this.targets = targets;
    this.nginxNote = nginxNote;
  }

  void addOpen(Topology.Target t, PhaseResult r) {
    openLoop.computeIfAbsent(t.key(), k -> new TreeMap<>())
        .merge(r.rate(), r, (a, b) -> {
          a.add(b);
          return a;
        });
  }

  void addSaturation(Topology.Target t, PhaseResult r) {
    saturation.merge(t.key(), r, (a, b) -> {
      a.add(b);
      return a;
    });
  }

  PhaseResult open(String key, double rate) {
    Map<Double, PhaseResult> m = openLoop.get(key);
    return m == null ? null : m.get(rate);
  }

  boolean has(String key) {
    return targets.stream().anyMatch(t -> t.key().equals(key));
  }

  String label(String key) {
    return targets.stream().filter(t -> t.key().equals(key)).map(Topology.Target::label).findFirst().orElse(key);
  }

  /** Errors of every phase, "target @ rate: kind = n", empty when the run was clean. */
  List<String> errorLines() {
    List<String> out = new ArrayList<>();
    openLoop.forEach((k, byRate) -> byRate.forEach((rate, r) -> r.errors().forEach((kind, n) ->
        out.add(label(k) + " @ " + Overhead.rate(rate) + " req/s: " + kind + " x " + n))));
    saturation.forEach((k, r) -> r.errors().forEach((kind, n) ->
        out.add(label(k) + " @ saturation: " + kind + " x " + n)));
    return out;
  }
}

package dev.vigil.bench.proxy;

import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The --json output: every phase's numbers (milliseconds), per target, rate and operation. */
final class JsonReport {

  private JsonReport() {}

  static String render(Results r) {
    JsonObject root = new JsonObject()
        .put("benchmark", "proxy-overhead")
        .put("quick", r.args.quick)
        .put("wallSeconds", r.wallMillis / 1000.0)
        .put("rates", new JsonArray(r.args.rates))
        .put("roundsPerRate", r.args.rounds)
        .put("measuredSecondsPerRound", r.args.measure.toMillis() / 1000.0)
        .put("saturationConcurrency", r.args.concurrency)
        .put("nginx", r.nginxNote == null ? "present" : r.nginxNote)
        .put("order", new JsonArray(r.order));
    JsonObject mix = new JsonObject();
    r.mix.weights().forEach((op, w) -> mix.put(op.name(), w));
    root.put("mixPercent", mix);
    JsonObject targets = new JsonObject();
    for (Topology.Target t : r.targets) {
      JsonObject jt = new JsonObject().put("label", t.label());
      JsonArray open = new JsonArray();
      Map<Double, PhaseResult> byRate = r.openLoop.get(t.key());
      if (byRate != null) {
        byRate.values().forEach(p -> open.add(phase(p)));
      }
      jt.put("openLoop", open);
      PhaseResult sat = r.saturation.get(t.key());
      if (sat != null) {
        jt.put("saturation", phase(sat).put("throughput", sat.throughput()));
      }
      targets.put(t.key(), jt);
    }
    root.put("targets", targets);
    root.put("errors", new JsonArray(r.errorLines()));
    return root.encodePrettily() + "\n";
  }

  static JsonObject phase(PhaseResult p) {
    JsonObject errors = new JsonObject();
    p.errors().forEach(errors::put);
    JsonObject o = new JsonObject()
        .put("rate", p.rate())
        .put("expected", p.expected())
        .put("successes", p.successes())
        .put("errors", errors)
        .put("p50", p.millis(50))
        .put("p99", p.millis(99))
        .put("p999", p.millis(99.9))
        .put("max", p.maxMillis());
    JsonObject ops = new JsonObject();
    for (Op op : Op.values()) {
      if (p.count(op) > 0) {
        ops.put(op.name(), new JsonObject().put("count", p.count(op)).put("p50", p.millis(op, 50))
            .put("p99", p.millis(op, 99)).put("p999", p.millis(op, 99.9)));
      }
    }
    return o.put("byOperation", ops);
  }
}

package dev.vigil.bench.proxy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The request mix: fixed weights spread evenly over a repeating pattern (smooth weighted round-robin), so every
 * target and every phase sees the same sequence of operations.
 */
final class RequestMix {

  static final int LIST_SIZE = 500;
  static final int CREATE_DATA_BYTES = 100 * 1024;
  static final String GET_NAMESPACE = "bench-get";
  static final String LIST_NAMESPACE = "bench-list";
  static final String CREATE_NAMESPACE = "bench-create";
  static final String WATCH_NAMESPACE = "bench-watch";
  static final String WATCHED_NAME = "watched";

  /**
   * The default weights (percent): small reads dominate, as in an agent's kubectl traffic; the 190 KiB list, the
   * 100 KiB create and the watch are 5% each. At 1000 req/s that is 50/s of each: heavier shares saturate kube-sim
   * itself on 2 shared cores, and each watch holds a connection for its 1 s (50 watch connections in use).
   */
  static final Map<Op, Integer> DEFAULT_WEIGHTS = weights(85, 5, 5, 5);

  private final Map<Op, Integer> weights;
  private final Op[] pattern;

  RequestMix(Map<Op, Integer> weights) {
    this.weights = new EnumMap<>(weights);
    this.pattern = pattern(this.weights);
  }

  static Map<Op, Integer> weights(int get, int list, int create, int watch) {
    Map<Op, Integer> w = new EnumMap<>(Op.class);
    w.put(Op.GET, get);
    w.put(Op.LIST, list);
    w.put(Op.CREATE, create);
    w.put(Op.WATCH, watch);
    return w;
  }

  Map<Op, Integer> weights() {
    return new EnumMap<>(weights);
  }

  /** The operation of the {@code i}-th request of a phase. */
  Op op(long i) {
    return pattern[(int) (i % pattern.length)];
  }

  int patternLength() {
    return pattern.length;
  }

  /** Smooth weighted round-robin (as nginx's upstream balancer): each op appears weight times, evenly spread. */
  static Op[] pattern(Map<Op, Integer> weights) {
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (total <= 0 || weights.values().stream().anyMatch(v -> v < 0)) {
      throw new IllegalArgumentException("weights must be >= 0 with a positive sum: " + weights);
    }
    Map<Op, Integer> current = new EnumMap<>(Op.class);
    weights.keySet().forEach(op -> current.put(op, 0));
    List<Op> out = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      Op best = null;
      for (Map.Entry<Op, Integer> e : weights.entrySet()) {
        int c = current.get(e.getKey()) + e.getValue();
        current.put(e.getKey(), c);
        if (best == null || c > current.get(best)) {
          best = e.getKey();
        }
      }
      current.put(best, current.get(best) - total);
      out.add(best);
    }
    return out.toArray(new Op[0]);
  }

  /** The request path (and query) of {@code op}. */
  static String uri(Op op) {
    return switch (op) {
      case GET -> "/api/v1/namespaces/" + GET_NAMESPACE + "/configmaps/small";
      case LIST -> "/api/v1/namespaces/" + LIST_NAMESPACE + "/configmaps";
      case CREATE -> "/api/v1/namespaces/" + CREATE_NAMESPACE + "/configmaps?dryRun=All";
      case WATCH -> "/api/v1/namespaces/" + WATCH_NAMESPACE + "/configmaps?watch=true&resourceVersion=0"
          + "&fieldSelector=metadata.name%3D" + WATCHED_NAME + "&timeoutSeconds=1";
    };
  }

  /** The ~100 KiB ConfigMap the create sends. */
  static String createBody() {
    StringBuilder data = new StringBuilder(CREATE_DATA_BYTES);
    String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789abcdefghijklmnopqrstu ";
    while (data.length() < CREATE_DATA_BYTES) {
      data.append(line);
    }
    data.setLength(CREATE_DATA_BYTES);
    return configMap("bench-created", CREATE_NAMESPACE, data.toString());
  }

  static String configMap(String name, String namespace, String payload) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + namespace + "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"payload\":\"" + payload + "\"}}";
  }
}

package dev.vigil.proxy.impl;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.schema.KubernetesRequestInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Looks up the labels that {@code namespaceLabels}/{@code objectLabels} policy rules select on: {@code GET} of the
 * namespace ({@code /api/v1/namespaces/<ns>}) or of the addressed object (its path without subresource), with the
 * gateway's <em>own</em> upstream credential (no impersonation) over a small connection pool of its own (same TLS
 * trust and client certificate as the proxied calls), asking for metadata only
 * ({@code PartialObjectMetadata}, falling back to the full object as JSON), so a Secret's data never reaches the gateway.
 *
 * <p>Results are cached by path for {@code ttl} (the staleness window) in a bounded LRU; concurrent lookups of one path
 * share one request. Every future completes, never fails, and — when the caller is on a Vert.x context — on the
 * caller's context: with the labels (empty when the object has none), or with {@code null} when they are unknown
 * (failure, timeout, any status but 200 including 403 and 404, an unreadable answer). Unknown results are not cached.
 * Each failure is counted and logged at DEBUG; the first of each cause (status code, timeout, connection error) also
 * at WARN. No credential is ever logged.
 */
final class LabelLookup {

  private static final Logger LOG = LoggerFactory.getLogger(LabelLookup.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Metadata only where the API server supports it (kube-apiserver does for every resource), else the object. */
  static final String ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
  /** Connections of the lookup pool, and lookups waiting for one at most (beyond: unknown at once). */
  static final int MAX_CONNECTIONS = 16;
  static final int MAX_WAITING = 1024;

  private static final class Entry {
    final Promise<Map<String, String>> promise = Promise.promise();
    /** Guarded by the cache: the lookup completed with labels, valid until {@code expiresAt}. */
    boolean done;
    Map<String, String> labels;
    /** Guarded by the cache: the lookup ended (answer or timeout, whichever came first). */
    boolean finished;
    long expiresAt;
  }

  private final Vertx vertx;
  private final UpstreamTarget target;
  private final Supplier<String> authorization;
  private final long ttlNanos;
  private final long timeoutMillis;
  private final LongSupplier nanoClock;
  private final HttpClient http;
  private final WebClient web;
  private final LinkedHashMap<String, Entry> cache;
  private final Set<String> warnedCauses = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param authorization the gateway's current upstream Authorization value (null with a client certificate)
   * @param ttl how long labels are reused; zero = only concurrent lookups are shared
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  LabelLookup(Vertx vertx, UpstreamTarget target, Supplier<String> authorization, Duration ttl, int maxEntries,
      Duration timeout, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.target = target;
    this.authorization = authorization;
    this.ttlNanos = ttl.toNanos();
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.nanoClock = nanoClock;
    HttpClientOptions options = target.clientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
    this.http = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(MAX_WAITING))
        .build();
    this.web = WebClient.wrap(http);
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** The labels of namespace {@code namespace}, or null when unknown. */
  Future<Map<String, String>> namespaceLabels(String namespace) {
    return labels(namespacePath(namespace));
  }

  /**
   * The labels of the object {@code info} addresses (for a subresource, of its parent object: {@code pods/exec} gives
   * the pod's labels), or null when unknown or when the request names no object.
   */
  Future<Map<String, String>> objectLabels(KubernetesRequestInfo info) {
    String path = objectPath(info);
    return path == null ? Future.succeededFuture(null) : labels(path);
  }

  static String namespacePath(String namespace) {
    return "/api/v1/namespaces/" + segment(namespace);
  }

  /** The canonical path of the object a resource request addresses, without subresource; null without a name. */
  static String objectPath(KubernetesRequestInfo info) {
    if (!info.getResourceRequest() || info.getName() == null || info.getName().isEmpty() || info.getResource() == null
        || info.getApiVersion() == null) {
      return null;
    }
    String group = info.getApiGroup() == null ? "" : info.getApiGroup();
    StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + segment(group) + "/")
        .append(segment(info.getApiVersion()));
    // a request on namespace X carries X as its namespace, but the Namespace object itself is cluster-scoped
    boolean namespaceObject = group.isEmpty() && "namespaces".equals(info.getResource());
    if (info.getNamespace() != null && !namespaceObject) {
      b.append("/namespaces/").append(segment(info.getNamespace()));
    }
    return b.append('/').append(segment(info.getResource())).append('/').append(segment(info.getName())).toString();
  }

  /**
   * The {@code metadata.labels} of a Kubernetes object as a JSON tree: empty when it has none; null when the tree is
   * not an object or its metadata or labels are malformed (a label value that is not a string).
   */
  static Map<String, String> labelsOf(JsonNode object) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode metadata = object.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return Map.of();
    }
    if (!metadata.isObject()) {
      return null;
    }
    JsonNode labels = metadata.get("labels");
    if (labels == null || labels.isNull()) {
      return Map.of();
    }
    if (!labels.isObject()) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        return null;
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return Map.copyOf(out);
  }

  /** The labels of the object at {@code path} (relative to the upstream's base path), cached or looked up. */
  Future<Map<String, String>> labels(String path) {
    Context caller = Vertx.currentContext();
    long now = nanoClock.getAsLong();
    Entry entry;
    Map<String, String> cached;
    boolean start = false;
    synchronized (cache) {
      entry = cache.get(path);
      if (entry != null && entry.done && now - entry.expiresAt >= 0) {
        cache.remove(path);
        entry = null;
      }
      if (entry == null) {
        entry = new Entry();
        cache.put(path, entry);
        start = true;
      }
      cached = entry.done ? entry.labels : null;
    }
    if (cached != null) {
      hits.incrementAndGet();
      return Future.succeededFuture(cached);
    }
    if (start) {
      fetch(path, entry);
    }
    return onContext(caller, entry.promise.future());
  }

  private void fetch(String path, Entry entry) {
    requests.incrementAndGet();
    long timer = vertx.setTimer(timeoutMillis,
        id -> end(path, entry, null, "timeout", "no answer within " + timeoutMillis + " ms", false));
    HttpRequest<Buffer> req = web.get(target.port(), target.host(), target.basePath() + path)
        .ssl(target.ssl())
        .followRedirects(false)
        .connectTimeout(timeoutMillis)
        .idleTimeout(timeoutMillis)
        .putHeader("Accept", ACCEPT)
        .putHeader("User-Agent", "vigil-proxy (policy label lookup)");
    String credential = authorization.get();
    if (credential != null) {
      req.putHeader("Authorization", credential);
    }
    req.send().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        UpstreamFailures.Failure f = UpstreamFailures.classify(ar.cause());
        end(path, entry, null, f.type().toLowerCase(Locale.ROOT), f.detail(), false);
        return;
      }
      HttpResponse<Buffer> resp = ar.result();
      if (resp.statusCode() != 200) {
        end(path, entry, null, "HTTP " + resp.statusCode(), statusMessage(resp), resp.statusCode() == 404);
        return;
      }
      end(path, entry, parse(resp.body()), "unreadable answer",
          "not a JSON object with string metadata.labels", false);
    });
  }

  private static Map<String, String> parse(Buffer body) {
    if (body == null) {
      return null;
    }
    try {
      return labelsOf(JSON.readTree(body.getBytes()));
    } catch (java.io.IOException e) {
      return null; // not JSON: reported by the caller as an unreadable answer
    }
  }

  /** The message of a Kubernetes Status answer (it names the missing permission), shortened; null otherwise. */
  private static String statusMessage(HttpResponse<Buffer> resp) {
    if (resp.body() == null) {
      return null;
    }
    try {
      JsonNode status = JSON.readTree(resp.body().toString(StandardCharsets.UTF_8));
      JsonNode message = status == null ? null : status.get("message");
      if (message == null || !message.isTextual()) {
        return null;
      }
      String m = message.textValue();
      return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    } catch (java.io.IOException e) {
      return null; // not a Status: the status code says enough
    }
  }

  /**
   * Ends the lookup of {@code entry} once (a timed-out lookup ignores its late answer): labels stay cached for the TTL,
   * unknown results ({@code labels} null, for {@code cause}) are counted, logged and dropped from the cache.
   */
  private void end(String path, Entry entry, Map<String, String> labels, String cause, String detail,
      boolean notFound) {
    synchronized (cache) {
      if (entry.finished) {
        return;
      }
      entry.finished = true;
      if (labels != null && ttlNanos > 0) {
        entry.done = true;
        entry.labels = labels;
        entry.expiresAt = nanoClock.getAsLong() + ttlNanos;
      } else if (cache.get(path) == entry) {
        cache.remove(path);
      }
    }
    if (labels == null) {
      failed(path, cause, detail, notFound);
    }
    entry.promise.complete(labels);
  }

  private void failed(String path, String cause, String detail, boolean notFound) {
    failures.incrementAndGet();
    String what = detail == null ? cause : cause + ": " + detail;
    if (!notFound && warnedCauses.add(cause)) {
      LOG.warn("Policy label lookup GET {} failed ({}): labels unknown, so label selectors match for deny rules and "
          + "not for allow rules. The gateway's upstream identity needs 'get' on namespaces and on the resources "
          + "label rules select. Further failures of this kind are logged at DEBUG", path, what);
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("Policy label lookup GET {} failed ({}): labels unknown", path, what);
    }
  }

  /** {@code f}, completing on {@code context} (its listeners then run there); {@code f} itself without a context. */
  private static <T> Future<T> onContext(Context context, Future<T> f) {
    if (context == null) {
      return f;
    }
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /** A path segment: RFC 3986 pchar kept, everything else percent-encoded (UTF-8). */
  static String segment(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  /** Lookups sent upstream. */
  long requests() {
    return requests.get();
  }

  /** Lookups answered from the cache. */
  long cacheHits() {
    return hits.get();
  }

  /** Lookups that left the labels unknown. */
  long failures() {
    return failures.get();
  }

  /** Entries cached or in flight. */
  int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Closes the lookup pool (the web client only wraps it). */
  Future<Void> close() {
    return http.close();
  }
}

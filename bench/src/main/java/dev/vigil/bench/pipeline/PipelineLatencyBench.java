package dev.vigil.bench.pipeline;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.app.Demo;
import dev.vigil.bench.report.Args;
import dev.vigil.common.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Time from the client having a proxied response to that call being searchable in OpenSearch, with the product wired
 * as {@code vigil demo} runs it ({@link Demo#start}: embedded Kafka and OpenSearch, kube-sim as the upstream, the
 * proxy with the demo policy, the indexer, the stream processors, the query API), every port chosen by the system.
 * Usage: {@code PipelineLatencyBench --out FILE [--rate 50] [--seconds 30] [--warmup 100] [--work-dir DIR] [--quick]};
 * writes a Markdown fragment, progress on stderr.
 */
public final class PipelineLatencyBench {

  static final String PATH = "/api/v1/namespaces/payments/pods";
  static final String INDEX_PATTERN = "vigil-events*";
  /** The client's connection pool (keep-alive): enough for the rate, without a TLS handshake per call. */
  static final int CONNECTIONS = 16;

  private PipelineLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    boolean quick = o.containsKey("quick");
    double rate = Double.parseDouble(o.getOrDefault("rate", quick ? "20" : "50"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", quick ? "10" : "30"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", quick ? "40" : "100"));
    Path out = Path.of(Args.required(o, "out"));
    Path work = Files.createDirectories(Path.of(o.getOrDefault("work-dir",
        Files.createTempDirectory("vigil-pipeline-bench").toString())));

    Map<String, String> s = new HashMap<>();
    s.put("vigil.demo.dir", work.resolve("demo").toString());
    for (String part : new String[] {"opensearch", "kafka", "oidc", "kube-sim", "llm-sim", "proxy", "query"}) {
      s.put("vigil.demo." + part + ".port", "0");
    }
    long t0 = System.nanoTime();
    try (Demo demo = Demo.start(Settings.of(s))) {
      Demo.Endpoints e = demo.endpoints();
      progress("demo started in %.1f s", (System.nanoTime() - t0) / 1e9);
      Vertx vertx = Vertx.vertx();
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setKeepAlive(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(e.caCert().toString())),
          new PoolOptions().setHttp1MaxSize(CONNECTIONS));
      PipelineReport.Result result;
      try (SearchablePoller poller = new SearchablePoller(e.openSearchUrl(), INDEX_PATTERN)) {
        OpenLoopCalls calls = new OpenLoopCalls(client, e.proxyUrl() + PATH, e.agentToken(), poller::expect);
        calls.run(warmup, rate);
        int warmupMissing = poller.awaitDrained(Duration.ofSeconds(60));
        poller.takeMillis();
        progress("warm-up: %d calls, %d not searchable within 60 s, %d failed", warmup, warmupMissing, calls.failed());
        if (calls.failed() == warmup) {
          throw new IllegalStateException("every warm-up call failed, e.g. " + calls.firstFailure());
        }

        int count = (int) Math.round(rate * seconds);
        ResponseTimes responses = new ResponseTimes(poller);
        OpenLoopCalls measured = new OpenLoopCalls(client, e.proxyUrl() + PATH, e.agentToken(), responses::accept);
        long searches0 = poller.searches();
        measured.run(count, rate);
        int missing = poller.awaitDrained(Duration.ofSeconds(30));
        progress("measured: %d calls, %d not searchable within 30 s, %d failed", count, missing, measured.failed());
        result = new PipelineReport.Result(rate, seconds, count, warmup, poller.takeMillis(), responses.millis(),
            measured.failed(), measured.firstFailure(), missing, poller.searches() - searches0,
            indexSettings(e.openSearchUrl()));
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      Files.writeString(out, PipelineReport.fragment(result), StandardCharsets.UTF_8);
    }
  }

  /** The events index's refresh settings as OpenSearch applies them (explicit or default). */
  static Map<String, String> indexSettings(String openSearchUrl) throws Exception {
    HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(openSearchUrl + "/"
        + INDEX_PATTERN + "/_settings?include_defaults=true&flat_settings=true")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode indices = new ObjectMapper().readTree(r.body());
    Map<String, String> found = new HashMap<>();
    indices.fields().forEachRemaining(index -> {
      for (String key : new String[] {"index.refresh_interval", "index.search.idle.after", "index.number_of_shards",
          "index.number_of_replicas", "index.translog.durability"}) {
        JsonNode explicit = index.getValue().path("settings").path(key);
        JsonNode dflt = index.getValue().path("defaults").path(key);
        if (!explicit.isMissingNode()) {
          found.put(key, explicit.asText() + " (set)");
        } else if (!dflt.isMissingNode()) {
          found.put(key, dflt.asText() + " (OpenSearch default)");
        }
      }
      found.put("index", index.getKey());
    });
    return found;
  }

  static void progress(String format, Object... args) {
    System.err.printf("pipeline: " + format + "%n", args);
  }
}

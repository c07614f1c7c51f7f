package dev.vigil.query;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import dev.vigil.embedded.DataDirs;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;

/**
 * Search latency of the real query API over HTTP against an embedded OpenSearch node holding at least 100k event
 * documents (bulk-indexed as the contract describes, with raw records) and their sessions. Not a test (no assertion,
 * not run by CI); run it with (see query-api/README.md)
 * {@code mvn -B -o -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -pl query-api -am -Dexec.skip=true
 * [-Dexec.args="100000 300"]}: arguments are the number of events and the queries per kind. Prints p50/p99 per kind.
 */
public final class SearchLatencyBench {

  private static final String[] WORDS = {"rotation", "payments", "ledger", "invoice", "backup", "canary", "rollout",
      "quota", "secret", "token", "migration", "shard", "replica", "cache", "latency", "timeout", "retry", "audit",
      "billing", "checkout", "inventory", "search", "index", "batch", "cron", "report", "export", "archive"};
  private static final int EVENTS_PER_SESSION = 50;

  private SearchLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path dir = Files.createTempDirectory("vigil-query-bench");
    try (EmbeddedOpenSearch os = EmbeddedOpenSearch.start(EmbeddedOpenSearch.Options.defaults()
        .withDataDir(dir.resolve("opensearch")))) {
      ApiHarness h = new ApiHarness(os, Map.of());
      try {
        List<String> sessionIds = load(h, events);
        run(h, sessionIds, queries);
      } finally {
        h.close();
      }
    } finally {
      DataDirs.deleteQuietly(dir);
    }
  }

  private static List<String> load(ApiHarness h, int events) throws Exception {
    Random random = new Random(42);
    int sessions = Math.max(1, events / EVENTS_PER_SESSION);
    Instant t0 = Instant.parse("2025-05-01T00:00:00Z");
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    int written = 0;
    List<RecordedSession.Recorded> batch = new ArrayList<>();
    Map<String, Map<String, Object>> sessionDocs = new LinkedHashMap<>();
    for (int i = 0; i < sessions; i++) {
      String user = "agent-" + (i % 200);
      RecordedSession s = new RecordedSession(user + "/task-" + i, user, i % 6,
          t0.plus(Duration.ofMinutes(7L * i)), h.partitions);
      for (int c = 0; c < EVENTS_PER_SESSION / 2; c++) {
        String ns = "ns-" + random.nextInt(40);
        String body = "{\"data\":{\"note\":\"" + WORDS[random.nextInt(WORDS.length)] + " "
            + WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " item-" + random.nextInt(100_000)
            + "\"}}";
        boolean deny = random.nextInt(20) == 0;
        s.kube(c % 3 == 0 ? "get" : "list", c % 2 == 0 ? "configmaps" : "pods", ns, c % 3 == 0 ? "obj-" + c : null, null,
            null, deny ? Effect.DENY : Effect.ALLOW, deny ? 403 : 200, null, body);
      }
      batch.addAll(s.events());
      ids.add(s.sessionId());
      sessionDocs.put(s.sessionId(), Docs.session(s, true, h.keys, ApiHarness.KEY_ID, i % 4 == 0 ? 1 : 0));
      if (batch.size() >= 5_000) {
        h.index.events(batch);
        written += batch.size();
        batch.clear();
        h.index.documents(h.index.sessionsIndex, sessionDocs);
        sessionDocs.clear();
      }
    }
    h.index.events(batch);
    written += batch.size();
    h.index.documents(h.index.sessionsIndex, sessionDocs);
    System.out.printf("indexed %,d event documents and %,d sessions in %.1f s%n", written, sessions,
        (System.nanoTime() - start) / 1e9);
    return ids;
  }

  private static void run(ApiHarness h, List<String> sessionIds, int queries) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String token = h.analyst();
    String base = "http://127.0.0.1:" + h.api.port();
    Random random = new Random(7);
    Map<String, IntFunction<String>> kinds = new LinkedHashMap<>();
    kinds.put("sessions: filter namespace, newest first",
        i -> "/api/v1/sessions?namespace=ns-" + random.nextInt(40) + "&size=50");
    kinds.put("sessions: identity + sort alertCount", i -> "/api/v1/sessions?identity=agent-" + random.nextInt(200)
        + "&sort=alertCount&size=50");
    kinds.put("sessions: full text q (one word)", i -> "/api/v1/sessions?q=" + WORDS[random.nextInt(WORDS.length)]
        + "&size=50");
    kinds.put("sessions: full text q (two words) + namespace", i -> "/api/v1/sessions?q="
        + WORDS[random.nextInt(WORDS.length)] + "+" + WORDS[random.nextInt(WORDS.length)] + "&namespace=ns-"
        + random.nextInt(40));
    kinds.put("events: full text q", i -> "/api/v1/events?q=" + WORDS[random.nextInt(WORDS.length)] + "&size=50");
    kinds.put("session detail (50 events)", i -> "/api/v1/sessions/" + URLEncoder.encode(
        sessionIds.get(random.nextInt(sessionIds.size())), StandardCharsets.UTF_8).replace("+", "%20"));
    System.out.printf("%-48s %8s %8s %8s %8s%n", "query (" + queries + " each, sequential, after 30 warm-up)",
        "p50 ms", "p90 ms", "p99 ms", "max ms");
    for (Map.Entry<String, IntFunction<String>> kind : kinds.entrySet()) {
      for (int i = 0; i < 30; i++) {
        call(client, base + kind.getValue().apply(i), token);
      }
      double[] ms = new double[queries];
      for (int i = 0; i < queries; i++) {
        String url = base + kind.getValue().apply(i);
        long t = System.nanoTime();
        call(client, url, token);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("%-48s %8.1f %8.1f %8.1f %8.1f%n", kind.getKey(), pct(ms, 50), pct(ms, 90), pct(ms, 99),
          ms[ms.length - 1]);
    }
  }

  private static void call(HttpClient client, String url, String token) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " → " + r.statusCode() + ": " + r.body());
    }
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}

package dev.vigil.proxy;

import static dev.vigil.proxy.GatewayFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.kubesim.RecordedRequest;
import dev.vigil.schema.Effect;
import dev.vigil.schema.KubernetesRequestInfo;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.UpstreamError;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;

/**
 * Issue 9, path canonicalisation fuzzing: seeded random encodings of Kubernetes paths (escapes, double escapes,
 * encoded slashes and dots, repeated slashes, dot segments, {@code ;} parameters, Unicode look-alikes, case variants,
 * trailing slashes). Every request is either refused and recorded as a DENY, or forwarded with exactly the canonical
 * path the policy evaluated — and the upstream, decoding that path as kube-apiserver does, addresses exactly the
 * namespace and resource that were recorded. A denied namespace/resource is never reached by any encoding.
 */
class PathCanonicalisationFuzzTest {

  static final long SEED = 0x5EED_0009L;
  static final int CASES = 500;
  static final List<String> BASES = List.of(
      "/api/v1/namespaces/kube-system/secrets",
      "/api/v1/namespaces/kube-system/secrets/x",
      "/api/v1/namespaces/payments/secrets",
      "/api/v1/namespaces/payments/configmaps/x",
      "/api/v1/namespaces/kube-system/pods/x/exec",
      "/api/v1/namespaces/kube-system/configmaps");
  static final List<String> LOOKALIKES = List.of("%D0%B5", "%C5%BF", "%EF%BD%93", "%E2%84%AA", "%C4%B1", "%E2%80%90");

  @TempDir
  static Path dir;
  static AttackProbe probe;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    probe = new AttackProbe(dir, Map.of());
    client = probe.fx.vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(probe.fx.pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(probe.proxy.port()).setKeepAlive(true));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      await(client.close());
    }
    if (probe != null) {
      probe.close();
    }
  }

  @Test
  void shouldForwardOnlyTheCanonicalPathThePolicyEvaluated() throws Exception {
    Random random = new Random(SEED);
    String token = probe.fx.mint("fuzzer");
    int forwarded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      String path = mutate(BASES.get(random.nextInt(BASES.size())), random);
      probe.reset();
      int status = client.request(HttpMethod.GET, path)
          .compose(r -> r.putHeader("Authorization", "Bearer " + token).send()
              .compose(response -> response.body().map(b -> response.statusCode())))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      List<VigilEvent> events = probe.sink.await(e -> e.getPayload() instanceof ResponseCompleted
          || e.getPayload() instanceof UpstreamError, 1, Duration.ofSeconds(10));
      assertThat(events).as("case %d %s: its call was recorded to the end", i, path).hasSize(1);
      RequestReceived received = probe.sink.events().stream().filter(e -> e.getPayload() instanceof RequestReceived)
          .map(e -> (RequestReceived) e.getPayload()).findFirst().orElseThrow();
      VigilEvent receivedEvent = probe.sink.events().get(0);
      List<RecordedRequest> upstream = probe.fx.kubeSim.requests();
      if (upstream.isEmpty()) {
        refused++;
        assertThat(received.getDecision().getEffect()).as("case %d %s (%d) not forwarded", i, path, status)
            .isEqualTo(Effect.DENY);
        assertThat(received.getDecision().getRuleId()).isNotBlank();
        assertThat(status).isBetween(400, 499);
        continue;
      }
      forwarded++;
      assertThat(upstream).as("case %d %s", i, path).hasSize(1);
      assertThat(received.getDecision().getEffect()).as("case %d %s", i, path).isEqualTo(Effect.ALLOW);
      String recordedPath = receivedEvent.getRequest().getPath();
      assertThat(upstream.get(0).path()).as("case %d %s: upstream path = evaluated path", i, path).isEqualTo(recordedPath);
      assertSameTarget(path, recordedPath, receivedEvent.getRequest().getKubernetes());
    }
    assertThat(forwarded).as("forwarded").isGreaterThan(CASES / 10);
    assertThat(refused).as("refused").isGreaterThan(CASES / 10);
  }

  /** kube-apiserver decodes the path before reading it: it must name what policy saw, never kube-system secrets. */
  private static void assertSameTarget(String sent, String forwardedPath, KubernetesRequestInfo info) {
    List<String> segs = new ArrayList<>(Arrays.stream(decode(forwardedPath).split("/")).filter(s -> !s.isEmpty()).toList());
    boolean namespaced = segs.size() >= 5 && segs.get(0).equals("api") && segs.get(1).equals("v1")
        && segs.get(2).equals("namespaces");
    if (namespaced) {
      assertThat(info).as(sent).isNotNull();
      assertThat(info.getNamespace()).as(sent).isEqualTo(segs.get(3));
      assertThat(info.getResource()).as(sent).isEqualTo(segs.get(4));
      assertThat(info.getName()).as(sent).isEqualTo(segs.size() > 5 ? segs.get(5) : null);
      assertThat(info.getSubresource()).as(sent).isEqualTo(segs.size() > 6 ? segs.get(6) : null);
    }
    assertThat(namespaced && segs.get(3).equals("kube-system") && segs.get(4).equals("secrets")).as(sent).isFalse();
    assertThat(namespaced && segs.get(3).equals("kube-system") && segs.get(4).equals("pods") && segs.size() > 6
        && segs.get(6).equals("exec"))
        .as(sent).isFalse();
  }

  /** One to three random mutations of {@code base}. */
  static String mutate(String base, Random random) {
    List<String> segs = new ArrayList<>(Arrays.asList(base.substring(1).split("/")));
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      int i = random.nextInt(segs.size());
      String s = segs.get(i);
      int at = s.isEmpty() ? 0 : random.nextInt(s.length());
      switch (random.nextInt(12)) {
        case 0 -> segs.set(i, s.isEmpty() ? s : s.substring(0, at) + escape(s.charAt(at), random) + s.substring(at + 1));
        case 1 -> segs.set(i, s.substring(0, at) + pick(random, "%2f", "%2F", "%5C", "%00") + s.substring(at));
        case 2 -> segs.set(i, s.substring(0, at) + pick(random, "%252f", "%252e", "%2525") + s.substring(at));
        case 3 -> segs.add(i, "");
        case 4 -> segs.add(i, pick(random, ".", "%2e", "%2E"));
        case 5 -> segs.add(i, pick(random, "..", "%2e%2e", ".%2E", "%2E%2e"));
        case 6 -> segs.set(i, s + pick(random, ";", ";x=1", ";/"));
        case 7 -> segs.set(i, s.isEmpty() ? s : s.substring(0, at) + pick(random, LOOKALIKES.toArray(String[]::new))
            + s.substring(at + 1));
        case 8 -> segs.set(i, random.nextBoolean() ? s.toUpperCase(java.util.Locale.ROOT)
            : s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1));
        case 9 -> segs.add("");
        case 10 -> segs.set(i, escapeAll(s, random));
        default -> segs.add(i + 1, pick(random, "kube-system", "secrets", "payments", "x"));
      }
    }
    return "/" + String.join("/", segs);
  }

  private static String escape(char c, Random random) {
    String hex = String.format("%02x", (int) c);
    return "%" + (random.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
  }

  private static String escapeAll(String s, Random random) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(escape(c, random));
    }
    return sb.toString();
  }

  private static String pick(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }

  /** Percent-decoding as Go's url.PathUnescape ('+' stays '+'). */
  private static String decode(String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        out.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

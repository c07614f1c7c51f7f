package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.embedded.junit.OpenSearchExtension;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.Docs;
import dev.vigil.query.fixture.RecordedSession;
import dev.vigil.schema.Effect;

/** The live tail: an event indexed after the client connected is delivered; the stream ends when the session closes. */
@ExtendWith(OpenSearchExtension.class)
class TailIT {

  private static ApiHarness h;

  @BeforeAll
  static void start(EmbeddedOpenSearch os) throws Exception {
    h = new ApiHarness(os, Map.of("vigil.query.tail.poll-interval", "200ms", "vigil.query.tail.heartbeat-interval", "1s"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void shouldDeliverANewlyIndexedEventAndEndWhenTheSessionCloses() throws Exception {
    RecordedSession s = new RecordedSession("agent-5/live", "agent-5", 0, Instant.now(), h.partitions);
    s.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null, "{}");
    h.index.events(s.events());
    h.index.documents(h.index.sessionsIndex, Map.of(s.sessionId(), Docs.session(s, false, h.keys, ApiHarness.KEY_ID, 0)));

    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.api.port()
            + SessionsScenario.path(s.sessionId()) + "/tail"))
        .header("Authorization", "Bearer " + h.agent("agent-5")).build();
    CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> r = response.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Thread reader = new Thread(() -> r.body().forEach(lines::add), "tail-reader");
    reader.setDaemon(true);
    reader.start();
    // the stream is open (its preamble arrived) and has sent nothing of the existing events
    assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("retry:");
    Thread.sleep(600);

    int before = s.events().size();
    s.kube("get", "pods", "payments", "payments-api-x", null, null, Effect.ALLOW, 200, null, "{}");
    List<RecordedSession.Recorded> added = s.events().subList(before, s.events().size());
    h.index.events(added);

    String data = awaitLine(lines, "data: {");
    JsonObject event = new JsonObject(data.substring("data: ".length()));
    assertThat(event.getString("eventId")).isEqualTo(added.get(0).event().getEventId());
    assertThat(event.containsKey("raw")).isFalse();
    String second = awaitLine(lines, "data: {");
    assertThat(new JsonObject(second.substring(6)).getString("eventId")).isEqualTo(added.get(1).event().getEventId());

    assertThat(awaitLine(lines, ": heartbeat")).isEqualTo(": heartbeat");

    h.index.documents(h.index.sessionsIndex, Map.of(s.sessionId(), Docs.session(s, true, h.keys, ApiHarness.KEY_ID, 0)));
    assertThat(awaitLine(lines, "event: vigil-end")).isEqualTo("event: vigil-end");
    assertThat(awaitLine(lines, "data: ")).contains("closed");
  }

  @Test
  void shouldEndTheTailOfAClosedSessionAtOnce() throws Exception {
    RecordedSession s = new RecordedSession("agent-6/done", "agent-6", 1, Instant.now(), h.partitions);
    s.kube("list", "pods", "payments", null, null, null, Effect.ALLOW, 200, null, "{}");
    h.index.events(s.events());
    h.index.documents(h.index.sessionsIndex, Map.of(s.sessionId(), Docs.session(s, true, h.keys, ApiHarness.KEY_ID, 0)));
    Http.Reply r = h.http.get(SessionsScenario.path(s.sessionId()) + "/tail", h.analyst());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("event: vigil-end").doesNotContain("event: vigil-event");
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(500, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("no line starting with '" + prefix + "' within 15 s");
  }
}

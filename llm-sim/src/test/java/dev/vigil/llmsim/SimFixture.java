package dev.vigil.llmsim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started simulator and a plain JDK HTTP client (no Vert.x on the client side). */
final class SimFixture implements AutoCloseable {

  static final String KEY = "sk-ant-test-0123456789";
  static final String KUBECTL_TOOL = """
      {"name":"kubectl","description":"Run a kubectl command against the cluster",
       "input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}}""";

  final Vertx vertx = Vertx.vertx();
  final LlmSim sim;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  SimFixture(LlmSimOptions options) {
    this.sim = await(LlmSim.start(vertx, options));
  }

  static SimFixture withKey() {
    return new SimFixture(new LlmSimOptions().setApiKey(KEY).setSlowFirstByteDelay(Duration.ofMillis(400)));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Anthropic headers with the right key and version. */
  static Map<String, String> anthropic() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-api-key", KEY);
    h.put("anthropic-version", "2023-06-01");
    h.put("content-type", "application/json");
    return h;
  }

  static Map<String, String> openAi() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("authorization", "Bearer " + KEY);
    h.put("content-type", "application/json");
    return h;
  }

  /** A Messages body with one user message and the kubectl tool. */
  static JsonObject messages(String model, boolean stream, String prompt) {
    return new JsonObject().put("model", model).put("max_tokens", 1024).put("stream", stream)
        .put("tools", new JsonArray().add(new JsonObject(KUBECTL_TOOL)))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  HttpResponse<String> post(String path, Map<String, String> headers, String body) throws IOException,
      InterruptedException {
    return http.send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
    return http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    return b;
  }

  @Override
  public void close() {
    await(sim.close());
    await(vertx.close());
  }
}

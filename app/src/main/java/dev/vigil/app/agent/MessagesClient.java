package dev.vigil.app.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A minimal Anthropic Messages client for the demo agent: one streaming {@code POST <base>/v1/messages}, its SSE
 * read line by line and assembled into the non-streaming content shape (text and tool_use blocks), text deltas
 * handed to a callback as they arrive. A non-200 answer is returned with its body (provider error, or a Kubernetes
 * {@code Status} when the gateway has no LLM route).
 */
final class MessagesClient {

  static final String ANTHROPIC_VERSION = "2023-06-01";

  /** How the caller authenticates: the agent's OIDC token as a bearer (through Vigil), or a provider key. */
  record Credential(String header, String value) {
    static Credential bearer(String token) {
      return new Credential("Authorization", "Bearer " + token);
    }

    static Credential apiKey(String key) {
      return new Credential("x-api-key", key);
    }

    @Override
    public String toString() {
      return header + ": (hidden)";
    }
  }

  /** The assembled answer; {@code error} is non-null when the call or the stream failed. */
  record Reply(int status, JsonArray content, String stopReason, String errorType, String error, String rawBody) {
    boolean ok() {
      return error == null;
    }
  }

  private final HttpClient http;
  private final String base;
  private final Credential credential;
  private final String session;

  MessagesClient(SSLContext tls, String base, Credential credential, String session) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.base = base.replaceAll("/+$", "");
    this.credential = credential;
    this.session = session;
  }

  Reply send(JsonObject body, Consumer<String> onText) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
        .timeout(Duration.ofMinutes(2))
        .header("content-type", "application/json")
        .header("anthropic-version", ANTHROPIC_VERSION)
        .header(credential.header(), credential.value())
        .header("X-Vigil-Session", session)
        .POST(HttpRequest.BodyPublishers.ofString(body.copy().put("stream", true).encode()))
        .build();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        String raw = String.join("\n", (Iterable<String>) lines::iterator);
        return errorReply(response.statusCode(), raw);
      }
      return read(lines.iterator(), onText);
    }
  }

  private static Reply errorReply(int status, String raw) {
    try {
      JsonObject json = new JsonObject(raw);
      if (json.getJsonObject("error") != null) {
        JsonObject e = json.getJsonObject("error");
        return new Reply(status, null, null, e.getString("type"), e.getString("message"), raw);
      }
      if ("Status".equals(json.getString("kind"))) {
        return new Reply(status, null, null, "kubernetes-status", json.getString("message"), raw);
      }
    } catch (DecodeException | ClassCastException e) {
      return new Reply(status, null, null, "http-" + status, "HTTP " + status + " with a non-JSON body", raw);
    }
    return new Reply(status, null, null, "http-" + status, "HTTP " + status, raw);
  }

  /** SSE: {@code event:}/{@code data:} lines up to a blank line make one event. */
  private static Reply read(Iterator<String> lines, Consumer<String> onText) {
    StreamAssembler assembler = new StreamAssembler(onText);
    StringBuilder data = new StringBuilder();
    try {
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty()) {
          if (data.length() > 0 && !assembler.accept(data.toString())) {
            break;
          }
          data.setLength(0);
        } else if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).strip());
        }
      }
    } catch (UncheckedIOException e) {
      return assembler.broken("the connection broke mid-stream: " + e.getCause().getMessage());
    }
    return assembler.reply();
  }
}

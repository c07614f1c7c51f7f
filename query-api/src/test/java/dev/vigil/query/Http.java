package dev.vigil.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vertx.core.json.JsonObject;

/** A small synchronous HTTP client for the API tests. */
final class Http {

  record Reply(int status, JsonObject body, HttpResponse<String> raw) {
    String text() {
      return raw.body();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Reply post(String pathAndQuery, String token) {
    return send("POST", pathAndQuery, token, null);
  }

  Reply get(String pathAndQuery, String token) {
    return send("GET", pathAndQuery, token, null);
  }

  Reply send(String method, String pathAndQuery, String token, String requestId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      JsonObject body = !json || r.body() == null || r.body().isBlank() ? null : new JsonObject(r.body());
      return new Reply(r.statusCode(), body, r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.vigil.streams.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.schema.Alert;

/**
 * One HTTP attempt to one webhook, with {@code java.net.http}: the notifier's deliveries are blocking, one thread per
 * webhook, so a JDK client with per-request timeouts needs no event loop, no extra dependency and nothing to close.
 * HTTP/1.1, redirects never followed. Every request carries {@code X-Vigil-Alert-Id} and {@code X-Vigil-Timestamp}, plus
 * {@code X-Vigil-Signature} when the webhook has a key. Outcomes never contain the webhook's URL beyond its host.
 */
final class WebhookClient {

  /** How one attempt ended. {@code retryAfterMillis} is -1 unless a {@code Retry-After} header asked for a wait. */
  record Outcome(Kind kind, String detail, long retryAfterMillis) {
    enum Kind { DELIVERED, RETRYABLE, REJECTED }

    static Outcome of(Kind kind, String detail) {
      return new Outcome(kind, detail, -1);
    }
  }

  static final String USER_AGENT = "vigil-notifier/1";
  private static final int MAX_DETAIL_CHARS = 200;
  private static final long RESPONSE_GRACE_MILLIS = 1000;

  private final HttpClient http;
  private final Duration timeout;
  private final Shutdown shutdown;
  private final ObjectMapper json = new ObjectMapper();

  WebhookClient(Duration timeout, Shutdown shutdown) {
    this.timeout = timeout;
    this.shutdown = shutdown;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).build();
  }

  /** The request body for {@code webhook}'s format. */
  byte[] body(WebhookSettings webhook, Alert alert) {
    Map<String, Object> m = webhook.format() == WebhookSettings.Format.SLACK ? SlackMessage.toMap(alert) : AlertJson.toMap(alert);
    try {
      return json.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the alert as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** POSTs {@code body}, signed now; throws {@link Shutdown.Closed} when the notifier closes meanwhile. */
  Outcome send(WebhookSettings webhook, String alertId, byte[] body) {
    long now = Instant.now().getEpochSecond();
    HttpRequest request;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(webhook.url()).timeout(timeout)
          .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", USER_AGENT)
          .header(Signatures.ALERT_ID_HEADER, alertId).header(Signatures.TIMESTAMP_HEADER, Long.toString(now))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (webhook.secret() != null) {
        b.header(Signatures.SIGNATURE_HEADER, Signatures.sign(webhook.secret(), now, body));
      }
      request = b.build();
    } catch (IllegalArgumentException e) {
      return Outcome.of(Outcome.Kind.REJECTED, "cannot build the request (alert id not usable as a header value?)");
    }
    CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      response = shutdown.await(future, timeout.toMillis() + RESPONSE_GRACE_MILLIS);
    } catch (TimeoutException e) {
      return Outcome.of(Outcome.Kind.RETRYABLE, "timeout: " + e.getMessage());
    } catch (ExecutionException e) {
      Throwable cause = RetryPolicy.unwrap(e);
      return Outcome.of(RetryPolicy.retryable(cause) ? Outcome.Kind.RETRYABLE : Outcome.Kind.REJECTED, describe(cause, webhook.url()));
    }
    return classify(response, webhook.url());
  }

  private static Outcome classify(HttpResponse<String> response, URI url) {
    int status = response.statusCode();
    if (status >= 200 && status <= 299) {
      return Outcome.of(Outcome.Kind.DELIVERED, "HTTP " + status);
    }
    String detail = "HTTP " + status + responseText(response.body(), url);
    if (!RetryPolicy.retryableStatus(status)) {
      return Outcome.of(Outcome.Kind.REJECTED, detail);
    }
    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
    return new Outcome(Outcome.Kind.RETRYABLE, detail, RetryPolicy.retryAfterMillis(retryAfter, Instant.now()));
  }

  private static String responseText(String body, URI url) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = redact(body.strip().replaceAll("\\p{Cntrl}+", " "), url);
    return ": " + (text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + "…" : text);
  }

  /** The failure's type and message, with any trace of the URL's path or query replaced. */
  static String describe(Throwable e, URI url) {
    String msg = e.getMessage() == null ? "" : ": " + redact(e.getMessage(), url);
    return e.getClass().getSimpleName() + msg;
  }

  static String redact(String text, URI url) {
    String out = text.replace(url.toString(), WebhookSettings.redact(url));
    String path = url.getRawPath();
    if (path != null && path.length() > 1) {
      out = out.replace(path, "/…");
    }
    String query = url.getRawQuery();
    return query == null || query.isEmpty() ? out : out.replace(query, "…");
  }
}

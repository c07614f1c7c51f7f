package dev.vigil.llmsim;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request as llm-sim received it (before the API-key check), so tests can assert what a gateway forwarded.
 * Header names are lower-cased and kept as received, credentials included (they are what a test wants to check);
 * {@link #toString()} hides them. The body is the request body as UTF-8 text ("" when there was none).
 */
public record RecordedRequest(Instant time, String method, String path, String query,
    Map<String, List<String>> headers, String body) {

  private static final Set<String> CREDENTIALS = Set.of("authorization", "x-api-key", "cookie", "proxy-authorization");

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** First value of a header (case-insensitive name), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** All values of a header (case-insensitive name). */
  public List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  public boolean hasHeader(String name) {
    return headers.containsKey(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RecordedRequest{").append(method).append(' ').append(path);
    if (query != null && !query.isEmpty()) {
      sb.append('?').append(query);
    }
    sb.append(", headers={");
    String sep = "";
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(CREDENTIALS.contains(e.getKey()) ? "****" : e.getValue());
      sep = ", ";
    }
    return sb.append("}, body=").append(body.length()).append(" chars}").toString();
  }
}

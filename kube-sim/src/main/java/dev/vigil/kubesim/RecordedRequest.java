package dev.vigil.kubesim;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as kube-sim received it (before authentication), for tests to assert what a
 * gateway forwarded. Header names are lower-cased; the body is not kept.
 */
public record RecordedRequest(Instant time, String method, String path, String query,
    Map<String, List<String>> headers) {

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

  /** Path plus query string, as in the request line. */
  public String uri() {
    return query == null || query.isEmpty() ? path : path + "?" + query;
  }
}

package dev.vigil.indexer.impl;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * What to do when a bulk request fails as a whole (as opposed to item by item).
 *
 * <ul>
 *   <li>{@link Kind#TOO_LARGE} — 413: split the request (a single document → DLQ {@code too-large}).</li>
 *   <li>{@link Kind#FATAL} — 401/403: the indexer's credentials or permissions are wrong. Dead-lettering would drain the
 *       whole topic into the DLQ, so the indexer stops instead (nothing committed; fix the settings and restart).</li>
 *   <li>{@link Kind#REJECTED} — any other 4xx but 408/429: sending the same request again cannot succeed, its items go to
 *       the DLQ ({@code request-rejected}).</li>
 *   <li>{@link Kind#RETRY} — 408, 429, 5xx and every failure without a status (connection refused, timeouts...).</li>
 * </ul>
 *
 * @param kind what to do
 * @param status the HTTP status, or -1 when there was no answer
 * @param detail status and OpenSearch error type and reason, or the exception (may quote OpenSearch's answer: DLQ header
 *     and logs only, never a document body)
 */
record RequestFailure(Kind kind, int status, String detail) {

  enum Kind { RETRY, TOO_LARGE, REJECTED, FATAL }

  static RequestFailure of(Throwable failure) {
    Throwable e = unwrap(failure);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OpenSearchException ose) {
        return classify(ose.status(), describe(ose));
      }
      if (t instanceof ResponseException re) {
        return classify(re.status(), re.status() + " " + firstLine(re.getMessage()));
      }
    }
    return new RequestFailure(Kind.RETRY, -1, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  static RequestFailure classify(int status, String detail) {
    Kind kind;
    if (status == 413) {
      kind = Kind.TOO_LARGE;
    } else if (status == 401 || status == 403) {
      kind = Kind.FATAL;
    } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
      kind = Kind.REJECTED;
    } else {
      kind = Kind.RETRY;
    }
    return new RequestFailure(kind, status, detail);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(OpenSearchException e) {
    ErrorCause c = e.error();
    if (c == null) {
      return e.status() + " " + e.getMessage();
    }
    return e.status() + " " + c.type() + ": " + c.reason();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    // "method [POST], host [...], URI [/_bulk], status line [HTTP/1.1 413 Request Entity Too Large]\n<body>"
    String t = s.replace('\n', ' ').strip();
    return t.length() <= 500 ? t : t.substring(0, 500) + "…";
  }
}

package dev.vigil.proxy.impl;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Why an HTTP/1.1 request head was refused before it became a request (it could not be decoded, broke a framing rule,
 * or did not arrive in time): the Status the caller gets and the rule its recorded DENY names. The message never
 * contains header values (they may hold credentials).
 */
final class RequestHeadException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String ruleId;
  /** False when even the request line could not be read: method and path are unknown. */
  private final boolean lineParsed;

  RequestHeadException(int code, String reason, String ruleId, String message, boolean lineParsed) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
    this.ruleId = ruleId;
    this.lineParsed = lineParsed;
  }

  /** Transfer-Encoding: chunked together with Content-Length (a request smuggling vector; RFC 9112 6.1). */
  static RequestHeadException chunkedWithContentLength() {
    return new RequestHeadException(400, "BadRequest", "protocol",
        "Transfer-Encoding together with Content-Length is refused", true);
  }

  /** The request head did not arrive completely within {@code timeoutMillis} of its first byte. */
  static RequestHeadException timeout(long timeoutMillis, boolean lineParsed) {
    return new RequestHeadException(408, "Timeout", "request-timeout",
        "the request head was not received within " + timeoutMillis + " ms", lineParsed);
  }

  /**
   * What the decoder's failure {@code cause} means for the caller. {@code maxHeaderBytes} and {@code maxLineBytes} are
   * the limits in force, named in the answer.
   */
  static RequestHeadException from(Throwable cause, boolean lineParsed, int maxHeaderBytes, int maxLineBytes) {
    if (cause instanceof RequestHeadException r) {
      return r.lineParsed == lineParsed ? r : new RequestHeadException(r.code, r.reason, r.ruleId, r.getMessage(), lineParsed);
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new RequestHeadException(431, "RequestHeaderFieldsTooLarge", "request-size",
          "the request headers are larger than the gateway's limit of " + maxHeaderBytes + " bytes", lineParsed);
    }
    if (cause instanceof TooLongHttpLineException) {
      return new RequestHeadException(414, "RequestURITooLong", "request-size",
          "the request line is longer than the gateway's limit of " + maxLineBytes + " bytes", lineParsed);
    }
    if (cause instanceof PrematureChannelClosureException) {
      return new RequestHeadException(400, "BadRequest", "protocol",
          "the connection was closed before the request head was complete", lineParsed);
    }
    String message = cause == null ? null : cause.getMessage();
    if (message != null && message.startsWith("Multiple Content-Length values")) {
      return new RequestHeadException(400, "BadRequest", "protocol", "more than one Content-Length header", lineParsed);
    }
    return new RequestHeadException(400, "BadRequest", "protocol", (lineParsed ? "malformed request headers" : "malformed request line")
        + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"), lineParsed);
  }

  int code() {
    return code;
  }

  String reason() {
    return reason;
  }

  String ruleId() {
    return ruleId;
  }

  boolean lineParsed() {
    return lineParsed;
  }

  StatusErrors.StatusError status() {
    return new StatusErrors.StatusError(code, reason, getMessage());
  }
}

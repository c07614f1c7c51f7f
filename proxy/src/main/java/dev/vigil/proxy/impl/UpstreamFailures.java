package dev.vigil.proxy.impl;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

/** Classifies why a call to the upstream failed, and what the caller is told (never credentials). */
final class UpstreamFailures {

  /**
   * @param type   CONNECT_FAILED, TIMEOUT, TLS, RESET or UPSTREAM_FAILURE
   * @param status what the caller gets when no response was started: 504 for timeouts, else 502
   * @param what   a short, safe description for the caller's Status message
   * @param detail for the UpstreamError event: the type, the exception class and its message
   */
  record Failure(String type, int status, String what, String detail) {}

  private UpstreamFailures() {}

  static Failure classify(Throwable error) {
    Throwable t = rootOrTimeout(error);
    String detail = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    if (isTimeout(t)) {
      return new Failure("TIMEOUT", 504, "it did not answer in time", detail);
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
      return new Failure("CONNECT_FAILED", 502, "cannot connect", detail);
    }
    if (t instanceof SSLException) {
      return new Failure("TLS", 502, "TLS handshake failed", detail);
    }
    if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof ClosedChannelException
        || t instanceof java.io.IOException) {
      return new Failure("RESET", 502, "the connection was closed", detail);
    }
    return new Failure("UPSTREAM_FAILURE", 502, "the call failed", detail);
  }

  private static Throwable rootOrTimeout(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t && !isTimeout(t)) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isTimeout(Throwable t) {
    if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
      return true;
    }
    String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    return name.contains("timeout") || msg.contains("timeout period") || msg.contains("timed out");
  }
}

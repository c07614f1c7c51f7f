package dev.vigil.proxy.llm;

import io.vertx.core.http.HttpServerRequest;

/**
 * What the LLM channel uses of the gateway's core (authentication, sessions, policy, recording, strict mode), so that
 * this package stays about the providers' protocols. Implemented in {@code dev.vigil.proxy.impl}.
 */
public interface LlmGateway {

  /**
   * Starts one call: a request id, its start time, and its RequestRef (method, the canonical {@code /llm/...} path,
   * query, source address, user agent; channel LLM). Until authenticated the call is anonymous.
   */
  LlmCall begin(HttpServerRequest request, String canonicalPath);

  /** Why a call to a provider failed, as the gateway classifies upstream failures. */
  UpstreamFailure classify(Throwable error);

  /**
   * An upstream failure.
   *
   * @param type   CONNECT_FAILED, TIMEOUT, TLS, RESET or UPSTREAM_FAILURE
   * @param status what the caller gets when no response was started: 504 for a timeout, else 502
   * @param what   a short description safe to show the caller
   * @param detail for the recording: the type, the exception class and its message
   */
  record UpstreamFailure(String type, int status, String what, String detail) {}
}

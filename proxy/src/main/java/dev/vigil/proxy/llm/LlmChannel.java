package dev.vigil.proxy.llm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.schema.Body;
import dev.vigil.schema.BodyEncoding;
import dev.vigil.schema.LlmRequestInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * The LLM channel: every request whose canonical path is {@code /llm} or below comes here, never to the Kubernetes
 * path. A call is admitted step by step — the caller's OIDC token ({@code Authorization: Bearer} or {@code x-api-key}),
 * its session ({@code X-Vigil-Session}), the route ({@link LlmRoutes}) of an enabled provider, the request body (read
 * whole, bounded), its JSON (model, stream), the policy — each refusal answered in the provider's error format and
 * recorded as a DENY naming the check; then its RequestReceived is recorded (strict: acknowledged first) and it is
 * forwarded with the gateway's own key ({@link LlmForwarder}).
 */
public final class LlmChannel {

  private static final Logger LOG = LoggerFactory.getLogger(LlmChannel.class);
  static final String SESSION_HEADER = "X-Vigil-Session";
  static final String STRICT_REFUSED = "recording is unavailable: the call was not forwarded because Vigil could not "
      + "record it (strict mode)";

  private final Vertx vertx;
  private final LlmConfig config;
  private final LlmGateway gateway;
  private final long bodyIdleMillis;
  private final Map<String, LlmForwarder> forwarders = new LinkedHashMap<>();

  /**
   * @param connectTimeout bounds connecting to a provider (and waiting for a pooled connection)
   * @param bodyIdleMillis a request body making no progress for this long is refused with 408; 0 disables
   */
  public LlmChannel(Vertx vertx, LlmConfig config, LlmGateway gateway, Duration connectTimeout, long bodyIdleMillis) {
    this.vertx = vertx;
    this.config = config;
    this.gateway = gateway;
    this.bodyIdleMillis = bodyIdleMillis;
    for (LlmConfig.Upstream upstream : config.upstreams()) {
      forwarders.put(upstream.provider(), new LlmForwarder(vertx, upstream, config, gateway, connectTimeout));
    }
  }

  /** Whether a canonical request path belongs to this channel ({@code /llm} or below). */
  public static boolean handles(String canonicalPath) {
    return LlmRoutes.isLlmPath(canonicalPath);
  }

  /** The enabled providers, for the start-up log. */
  public List<String> providers() {
    return List.copyOf(forwarders.keySet());
  }

  /** Handles one call; {@code req} must not have been read yet. */
  public void handle(HttpServerRequest req, String canonicalPath) {
    req.pause();
    LlmCall call = gateway.begin(req, canonicalPath);
    LlmProvider provider = LlmProvider.forId(LlmRoutes.provider(canonicalPath));
    LlmAnswer answer = new LlmAnswer(req, call, provider != null ? provider : new AnthropicProvider(),
        config.maxRecordedRequestBytes());
    if (hasUnreadBody(req)) {
      answer.closing(); // until the body was read: a refusal leaves it unread
    }
    LlmRoutes.Match match = LlmRoutes.match(req.method().name(), canonicalPath);
    if (match.found()) { // so that even a refusal before the route check says what the call was for
      call.describe(info(match.route()).build());
    }
    guard(answer, () -> {
      LlmCredentials.Credential credential = LlmCredentials.of(req.headers());
      if (credential.token() == null) {
        unauthenticated(answer, credential.problem());
        return;
      }
      call.authenticate(credential.token()).onComplete(ar -> guard(answer, () -> {
        if (ar.failed()) {
          unauthenticated(answer, ar.cause().getMessage() == null ? "authentication failed" : ar.cause().getMessage());
        } else {
          route(req, call, provider, answer, match, canonicalPath);
        }
      }));
    });
  }

  private void route(HttpServerRequest req, LlmCall call, LlmProvider provider, LlmAnswer answer,
      LlmRoutes.Match match, String path) {
    try {
      call.session(req.getHeader(SESSION_HEADER));
    } catch (IllegalArgumentException e) {
      answer.refuse(400, e.getMessage(), "request-validation", e.getMessage(), null);
      return;
    }
    if (req.version() == HttpVersion.HTTP_1_0) {
      answer.refuse(505, "the Vigil gateway speaks HTTP/1.1 and HTTP/2 only", "protocol", "HTTP/1.0 refused", null);
      return;
    }
    LlmForwarder forwarder = provider == null ? null : forwarders.get(provider.id());
    if (forwarder == null) {
      String why = provider == null ? "no such LLM provider (routes: /llm/anthropic/..., /llm/openai/...)"
          : "the LLM provider " + provider.id() + " is not enabled on this Vigil gateway";
      answer.refuse(404, why, "llm-route", why, null);
      return;
    }
    if (!match.found()) {
      String why = (match.status() == 405 ? "method not allowed: " : "no such route: ") + req.method().name() + " "
          + path;
      answer.refuse(match.status(), why, LlmAnswer.deny("llm-route", why), null,
          match.allow() == null ? Map.of() : Map.of("Allow", match.allow()));
      return;
    }
    long declared = contentLength(req);
    if (declared > config.maxRequestBodyBytes()) {
      tooLarge(answer);
      return;
    }
    LlmBodyReader.read(vertx, req, config.maxRequestBodyBytes(), bodyIdleMillis)
        .onComplete(ar -> guard(answer, () -> {
          if (ar.failed()) {
            bodyFailed(answer, ar.cause());
          } else {
            answer.keepConnection();
            inspect(req, call, forwarder, match.route(), ar.result(), answer);
          }
        }));
  }

  private void inspect(HttpServerRequest req, LlmCall call, LlmForwarder forwarder, LlmRoutes.Route route, Buffer bytes,
      LlmAnswer answer) {
    String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
    Body whole = LlmBodies.of(contentType == null ? LlmBodies.JSON : contentType, bytes, bytes.length(), false);
    LlmRequestInfo.Builder info = info(route);
    if ("POST".equals(route.method())) {
      JsonNode json = whole == null || whole.getEncoding() != BodyEncoding.TEXT ? null : LlmRequests.json(whole.getContent());
      if (json == null || !json.isObject()) {
        call.describe(info.build());
        answer.refuse(400, "the request body must be a JSON object", "request-validation",
            "the request body is not a JSON object", whole);
        return;
      }
      info.setModel(LlmRequests.model(json)).setStream(LlmRequests.stream(json));
    }
    call.describe(info.build());
    call.decide(whole).onComplete(decided -> guard(answer, () -> {
      if (decided.failed()) {
        throw new IllegalStateException("the policy decision failed", decided.cause());
      }
      LlmCall.Verdict verdict = decided.result();
      if (!verdict.allowed()) {
        answer.refuse(403, verdict.denialMessage(), verdict.decision(), whole, Map.of());
        return;
      }
      call.received(req.headers(), whole, config.maxRecordedRequestBytes(), verdict.decision())
          .onComplete(stored -> guard(answer, () -> {
            if (stored.failed()) {
              LOG.warn("Strict LLM call {} of session {} not forwarded: its record was not acknowledged ({})",
                  call.requestId(), call.sessionKey(), stored.cause().toString());
              answer.error(503, STRICT_REFUSED, Map.of());
            } else {
              forwarder.forward(req, call, route, "POST".equals(route.method()) ? bytes : null, answer);
            }
          }));
    }));
  }

  private static LlmRequestInfo.Builder info(LlmRoutes.Route route) {
    return LlmRequestInfo.newBuilder().setProvider(route.provider()).setOperation(route.operation())
        .setModel(route.model()).setStream(false);
  }

  private static void unauthenticated(LlmAnswer answer, String why) {
    answer.refuse(401, "Unauthorized: " + why + " (send your Vigil OIDC token as Authorization: Bearer or x-api-key)",
        "authentication", "unauthenticated: " + why, null);
  }

  private void tooLarge(LlmAnswer answer) {
    long max = config.maxRequestBodyBytes();
    answer.closing().refuse(413, "the request body is larger than the Vigil gateway's limit of " + max + " bytes",
        "request-size", "request body exceeds " + max + " bytes", null);
  }

  private void bodyFailed(LlmAnswer answer, Throwable cause) {
    if (cause instanceof LlmBodyReader.TooLargeException) {
      tooLarge(answer);
    } else if (cause instanceof LlmBodyReader.StalledException) {
      answer.closing().refuse(408, cause.getMessage(), "request-timeout", cause.getMessage(), null);
    } else {
      answer.closing().refuse(400, "the request body could not be read", "request-validation",
          "request body could not be read", null);
    }
  }

  /** Runs a step; a failure of the gateway itself becomes a 500 in the provider's format (DENY internal-error). */
  private static void guard(LlmAnswer answer, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("Gateway failure handling LLM call {}", answer.requestId(), e);
      answer.internalError(e);
    }
  }

  private static boolean hasUnreadBody(HttpServerRequest req) {
    long declared = contentLength(req);
    return declared > 0 || req.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || (req.version() == HttpVersion.HTTP_2 && declared < 0 && !req.isEnded());
  }

  private static long contentLength(HttpServerRequest req) {
    String v = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return v == null ? -1 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public Future<Void> close() {
    return Future.all(forwarders.values().stream().map(LlmForwarder::close).toList()).mapEmpty();
  }
}

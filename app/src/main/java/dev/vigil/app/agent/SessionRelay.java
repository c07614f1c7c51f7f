package dev.vigil.app.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * kubectl cannot send a custom header, but the agent's Kubernetes calls must carry the same {@code X-Vigil-Session}
 * as its LLM calls: the gateway keys sessions — and the Secret fingerprints the {@code no-secret-in-llm-prompt}
 * guardrail compares prompts against — by identity and session. So the agent runs kubectl against this relay: HTTPS
 * on 127.0.0.1 with a certificate of a throw-away CA (kubectl sends no bearer token over plain HTTP), accepting only a
 * random per-run secret (in a private temporary kubeconfig), forwarding every request to the real API server (the
 * gateway) with the agent's own bearer token and {@code X-Vigil-Session} instead. Bodies are streamed both ways. It
 * lives only while the agent runs; WebSocket upgrades (exec, attach) are not relayed.
 */
final class SessionRelay implements AutoCloseable {

  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "host", "connection", "keep-alive",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "x-vigil-session");

  private final HttpClientAgent client;
  private final HttpServer server;
  private final String secret;
  private final String caPem;

  private SessionRelay(HttpClientAgent client, HttpServer server, String secret, String caPem) {
    this.client = client;
    this.server = server;
    this.secret = secret;
    this.caPem = caPem;
  }

  static SessionRelay start(Vertx vertx, AgentKubeconfig upstream, String session) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(10_000);
    if (upstream.caPem() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(upstream.caPem())));
    }
    HttpClientAgent client = vertx.createHttpClient(options);
    String expected = "Bearer " + secret;
    DevPki pki = DevPki.create("vigil demo-agent relay");
    IssuedCert cert = pki.issueServer("demo-agent-relay", List.of(), List.of("127.0.0.1"));
    HttpServerOptions serverOptions = new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.pemKeyCertOptions());
    HttpServer server = await(vertx.createHttpServer(serverOptions).requestHandler(req -> {
      String auth = req.getHeader("authorization");
      if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
          expected.getBytes(StandardCharsets.UTF_8))) {
        req.response().setStatusCode(401).end();
        return;
      }
      forward(client, req, upstream, session);
    }).listen(0, "127.0.0.1"));
    return new SessionRelay(client, server, secret, pki.caCertPem());
  }

  private static void forward(HttpClientAgent client, HttpServerRequest req, AgentKubeconfig upstream,
      String session) {
    req.pause();
    HttpServerResponse out = req.response();
    client.request(new RequestOptions().setMethod(req.method()).setAbsoluteURI(upstream.server() + req.uri()))
        .compose(up -> {
          copy(req.headers(), up.headers());
          up.putHeader("Authorization", "Bearer " + upstream.token()).putHeader("X-Vigil-Session", session);
          return up.send(req);
        })
        .onSuccess(resp -> {
          out.setStatusCode(resp.statusCode());
          copy(resp.headers(), out.headers());
          if (resp.getHeader("content-length") == null) {
            out.setChunked(true);
          }
          resp.pipeTo(out);
        })
        .onFailure(e -> {
          if (!out.headWritten()) {
            out.setStatusCode(502).putHeader("content-type", "text/plain")
                .end("demo-agent relay: the API server is unreachable: " + e.getMessage() + "\n");
          } else {
            out.reset();
          }
        });
  }

  private static void copy(MultiMap from, MultiMap to) {
    from.forEach(e -> {
      if (!NOT_FORWARDED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        to.add(e.getKey(), e.getValue());
      }
    });
  }

  /** {@code https://127.0.0.1:<port>}. */
  String url() {
    return "https://127.0.0.1:" + server.actualPort();
  }

  /** The throw-away CA of the relay's certificate. */
  String caPem() {
    return caPem;
  }

  /** The per-run credential kubectl presents to the relay (worth nothing anywhere else). */
  String secret() {
    return secret;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("the demo agent's kubectl relay failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    await(server.close());
    await(client.close());
  }
}

package dev.vigil.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.schema.Channel;
import dev.vigil.schema.RequestReceived;
import dev.vigil.schema.ResponseCompleted;
import dev.vigil.schema.StreamFrame;
import dev.vigil.schema.VigilEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A gateway with both LLM providers pointed at a {@link FakeLlmUpstream} (their keys in key files), an in-memory sink,
 * and a raw HTTP client that sees a response chunk by chunk as it arrives.
 */
public final class LlmFixture {

  public static final String ANTHROPIC_KEY = "sk-ant-gateway-key-7f3c";
  public static final String OPENAI_KEY = "sk-openai-gateway-key-91ab";

  public final GatewayFixture gw;
  public final FakeLlmUpstream upstream;
  public final InMemorySink sink = new InMemorySink();
  public final VigilProxy proxy;
  public final HttpClient client;

  /** A response as the caller received it: status, headers, each chunk as it arrived, and how it ended. */
  public record Received(int status, MultiMap headers, List<String> chunks, Throwable failure) {
    public String body() {
      return String.join("", chunks);
    }
  }

  public LlmFixture(Path dir, Map<String, String> extra, RecordingSink sinkOverride) throws Exception {
    this(dir, extra, sinkOverride, false);
  }

  /**
   * @param extra        settings over the defaults (e.g. another upstream URL and key file)
   * @param sinkOverride the sink (null: {@link #sink})
   * @param kafka        record to Kafka instead ({@code extra} names the bootstrap servers)
   */
  public LlmFixture(Path dir, Map<String, String> extra, RecordingSink sinkOverride, boolean kafka) throws Exception {
    this.gw = new GatewayFixture(dir);
    this.upstream = FakeLlmUpstream.start(gw.vertx);
    Map<String, String> settings = new HashMap<>();
    settings.put("vigil.proxy.llm.anthropic.url", upstream.url());
    settings.put("vigil.proxy.llm.anthropic.api-key-file", write(dir.resolve("anthropic.key"), ANTHROPIC_KEY + "\n"));
    settings.put("vigil.proxy.llm.openai.url", upstream.url() + "/openai");
    settings.put("vigil.proxy.llm.openai.api-key-file", write(dir.resolve("openai.key"), OPENAI_KEY));
    settings.putAll(extra);
    this.proxy = gw.startProxy(gw.settings(settings), kafka ? null : sinkOverride != null ? sinkOverride : sink);
    this.client = gw.vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(gw.pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(proxy.port()));
  }

  private static String write(Path p, String content) throws Exception {
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p.toString();
  }

  /** Sends a call and collects its response (or the failure that ended it). */
  public Received call(HttpMethod method, String uri, MultiMap headers, String body) throws Exception {
    return call(client, method, uri, headers, body, (req, chunk) -> { });
  }

  /** Sends a call with {@code http}, telling {@code onChunk} each chunk as it arrives (it may reset the request). */
  public Received call(HttpClient http, HttpMethod method, String uri, MultiMap headers, String body,
      java.util.function.BiConsumer<io.vertx.core.http.HttpClientRequest, String> onChunk) throws Exception {
    List<String> chunks = new CopyOnWriteArrayList<>();
    // a Transfer-Encoding header alone would be sent together with the Content-Length the client adds (refused 400)
    boolean chunked = headers != null && "chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"));
    MultiMap sent = headers == null ? null : MultiMap.caseInsensitiveMultiMap().addAll(headers).remove("Transfer-Encoding");
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setHeaders(sent);
    Future<Received> f = http.request(options)
        .compose(req -> (body == null ? req.send() : req.setChunked(chunked).send(body))
            .compose(resp -> collect(req, resp, chunks, onChunk)));
    return GatewayFixture.await(f);
  }

  /** An HTTP/2 client (ALPN) trusting the gateway. */
  public HttpClient http2() {
    return gw.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(gw.pki.caCertPem())))
        .setDefaultHost("127.0.0.1").setDefaultPort(proxy.port()));
  }

  private static Future<Received> collect(io.vertx.core.http.HttpClientRequest req, HttpClientResponse resp,
      List<String> chunks, java.util.function.BiConsumer<io.vertx.core.http.HttpClientRequest, String> onChunk) {
    io.vertx.core.Promise<Received> done = io.vertx.core.Promise.promise();
    resp.handler(b -> {
      chunks.add(b.toString(StandardCharsets.UTF_8));
      onChunk.accept(req, b.toString(StandardCharsets.UTF_8));
    });
    resp.endHandler(v -> done.tryComplete(new Received(resp.statusCode(), resp.headers(), chunks, null)));
    resp.exceptionHandler(err -> done.tryComplete(new Received(resp.statusCode(), resp.headers(), chunks, err)));
    return done.future();
  }

  public MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token)
        .add("content-type", "application/json").add("anthropic-version", "2023-06-01");
  }

  /** The LLM-channel events of one call, in order. */
  public List<VigilEvent> eventsOf(String requestId) {
    return sink.events().stream().filter(e -> e.getRequest().getRequestId().equals(requestId)).toList();
  }

  /** Waits for the terminal event of the next LLM call and returns all its events. */
  public List<VigilEvent> awaitCall() throws InterruptedException {
    List<VigilEvent> terminal = sink.await(e -> e.getChannel() == Channel.LLM
        && !(e.getPayload() instanceof RequestReceived) && !(e.getPayload() instanceof StreamFrame), 1,
        java.time.Duration.ofSeconds(20));
    if (terminal.isEmpty()) {
      throw new AssertionError("no terminal event recorded; events: " + sink.events());
    }
    return eventsOf(terminal.get(0).getRequest().getRequestId());
  }

  public static RequestReceived request(List<VigilEvent> events) {
    return (RequestReceived) events.get(0).getPayload();
  }

  public static ResponseCompleted completed(List<VigilEvent> events) {
    return (ResponseCompleted) events.get(events.size() - 1).getPayload();
  }

  public static List<StreamFrame> frames(List<VigilEvent> events) {
    return events.stream().map(VigilEvent::getPayload).filter(StreamFrame.class::isInstance)
        .map(StreamFrame.class::cast).toList();
  }

  public void close() throws Exception {
    client.close();
    GatewayFixture.await(upstream.close());
    gw.close();
  }
}

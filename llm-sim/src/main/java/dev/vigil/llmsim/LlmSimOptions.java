package dev.vigil.llmsim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Options for {@link LlmSim#start}. Fluent and mutable; {@link LlmSim#start} takes a copy.
 *
 * <p>TLS is on when a key/cert pair is set (PEM, supplied by the caller; llm-sim never generates certificates).
 * Without one it serves plain HTTP. The API-key check of a provider is on when its key is set.
 */
public final class LlmSimOptions {

  private String host = "127.0.0.1";
  private int port;
  private PemKeyCertOptions keyCert;
  private String anthropicApiKey;
  private String openAiApiKey;
  private boolean requireAnthropicVersion = true;
  private Function<ModelRequest, ModelReply> script = new KubectlScript();
  private Duration streamChunkDelay = Duration.ZERO;
  private Duration slowFirstByteDelay = Duration.ofSeconds(5);
  private boolean logRequests;
  private int maxRecordedRequests = 1000;
  private int maxRequestBodyBytes = 32 * 1024 * 1024;

  public LlmSimOptions() {}

  public LlmSimOptions(LlmSimOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.keyCert = other.keyCert == null ? null : new PemKeyCertOptions(other.keyCert);
    this.anthropicApiKey = other.anthropicApiKey;
    this.openAiApiKey = other.openAiApiKey;
    this.requireAnthropicVersion = other.requireAnthropicVersion;
    this.script = other.script;
    this.streamChunkDelay = other.streamChunkDelay;
    this.slowFirstByteDelay = other.slowFirstByteDelay;
    this.logRequests = other.logRequests;
    this.maxRecordedRequests = other.maxRecordedRequests;
    this.maxRequestBodyBytes = other.maxRequestBodyBytes;
  }

  public String getHost() {
    return host;
  }

  public LlmSimOptions setHost(String host) {
    this.host = Objects.requireNonNull(host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 (default) picks a free port. */
  public LlmSimOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public PemKeyCertOptions getKeyCert() {
    return keyCert;
  }

  /** Enables TLS with this key/cert pair. */
  public LlmSimOptions setKeyCert(PemKeyCertOptions keyCert) {
    this.keyCert = keyCert;
    return this;
  }

  /** Enables TLS with a PEM private key and PEM certificate (chain). */
  public LlmSimOptions setKeyCertPem(String keyPem, String certPem) {
    this.keyCert = new PemKeyCertOptions().addKeyValue(Buffer.buffer(keyPem)).addCertValue(Buffer.buffer(certPem));
    return this;
  }

  public boolean isTls() {
    return keyCert != null;
  }

  /** The same key for both providers ({@code x-api-key} for Anthropic, {@code Authorization: Bearer} for OpenAI). */
  public LlmSimOptions setApiKey(String apiKey) {
    this.anthropicApiKey = apiKey;
    this.openAiApiKey = apiKey;
    return this;
  }

  public String getAnthropicApiKey() {
    return anthropicApiKey;
  }

  /** The {@code x-api-key} the Anthropic endpoints require (401 {@code authentication_error} otherwise); null = off. */
  public LlmSimOptions setAnthropicApiKey(String anthropicApiKey) {
    this.anthropicApiKey = anthropicApiKey;
    return this;
  }

  public String getOpenAiApiKey() {
    return openAiApiKey;
  }

  /** The bearer token the OpenAI endpoints require (401 {@code invalid_api_key} otherwise); null = off. */
  public LlmSimOptions setOpenAiApiKey(String openAiApiKey) {
    this.openAiApiKey = openAiApiKey;
    return this;
  }

  public boolean isRequireAnthropicVersion() {
    return requireAnthropicVersion;
  }

  /** Whether Anthropic requests without {@code anthropic-version} get a 400, as from the real API (default true). */
  public LlmSimOptions setRequireAnthropicVersion(boolean requireAnthropicVersion) {
    this.requireAnthropicVersion = requireAnthropicVersion;
    return this;
  }

  public Function<ModelRequest, ModelReply> getScript() {
    return script;
  }

  /** The "model": a deterministic function from request to reply (default {@link KubectlScript}). */
  public LlmSimOptions setScript(Function<ModelRequest, ModelReply> script) {
    this.script = Objects.requireNonNull(script);
    return this;
  }

  public Duration getStreamChunkDelay() {
    return streamChunkDelay;
  }

  /** Pause between two SSE events (default none). */
  public LlmSimOptions setStreamChunkDelay(Duration streamChunkDelay) {
    this.streamChunkDelay = Objects.requireNonNull(streamChunkDelay);
    return this;
  }

  public Duration getSlowFirstByteDelay() {
    return slowFirstByteDelay;
  }

  /** How long model {@code fault-slow-first-byte} waits before the response starts (default 5 s). */
  public LlmSimOptions setSlowFirstByteDelay(Duration slowFirstByteDelay) {
    this.slowFirstByteDelay = Objects.requireNonNull(slowFirstByteDelay);
    return this;
  }

  public boolean isLogRequests() {
    return logRequests;
  }

  /** Log one line per request (method, path, model, status; never headers or bodies). */
  public LlmSimOptions setLogRequests(boolean logRequests) {
    this.logRequests = logRequests;
    return this;
  }

  public int getMaxRecordedRequests() {
    return maxRecordedRequests;
  }

  /** Bound of {@link LlmSim#requests()} (oldest dropped first; default 1000). */
  public LlmSimOptions setMaxRecordedRequests(int maxRecordedRequests) {
    this.maxRecordedRequests = maxRecordedRequests;
    return this;
  }

  public int getMaxRequestBodyBytes() {
    return maxRequestBodyBytes;
  }

  /** Larger request bodies get 413 (default 32 MiB, the real Messages API's limit). */
  public LlmSimOptions setMaxRequestBodyBytes(int maxRequestBodyBytes) {
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    return this;
  }

  @Override
  public String toString() {
    return "LlmSimOptions{host=" + host + ", port=" + port + ", tls=" + isTls()
        + ", anthropicApiKey=" + (anthropicApiKey == null ? "off" : "(hidden)")
        + ", openAiApiKey=" + (openAiApiKey == null ? "off" : "(hidden)")
        + ", script=" + script.getClass().getSimpleName() + ", streamChunkDelay=" + streamChunkDelay + "}";
  }
}

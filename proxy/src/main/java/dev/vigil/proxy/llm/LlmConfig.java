package dev.vigil.proxy.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vigil.common.ConfigException;
import dev.vigil.common.LoopbackHosts;
import dev.vigil.common.Settings;

/**
 * The LLM channel's settings ({@code vigil.proxy.llm.*}): per provider its upstream URL and API key file (a provider is
 * enabled iff its URL is set, and then its key file is required), the request body limit, the stream idle timeout and
 * the recording caps. Upstream URLs must be {@code https} unless their host is loopback (the key travels with every
 * call). {@link #toString()} never shows a key.
 */
public final class LlmConfig {

  public static final String PREFIX = "vigil.proxy.llm.";
  public static final String MAX_REQUEST_BODY_BYTES = PREFIX + "max-request-body-bytes";
  public static final String STREAM_IDLE_TIMEOUT = PREFIX + "stream-idle-timeout";
  public static final String MAX_RECORDED_REPLY_BYTES = PREFIX + "max-recorded-reply-bytes";
  public static final String MAX_RECORDED_REQUEST_BYTES = PREFIX + "max-recorded-request-bytes";
  /** The recording caps' upper bound: what the masking library inspects of one body (4M characters). */
  static final int MAX_RECORDED_CAP = 4 * 1024 * 1024;

  /** One enabled provider: where its API is and the gateway's key for it. */
  public record Upstream(String provider, URI url, ProviderKey key) {

    public static String urlKey(String provider) {
      return PREFIX + provider + ".url";
    }

    public static String keyFileKey(String provider) {
      return PREFIX + provider + ".api-key-file";
    }

    boolean ssl() {
      return "https".equals(url.getScheme());
    }

    int port() {
      return url.getPort() > 0 ? url.getPort() : ssl() ? 443 : 80;
    }

    /** The URL's path without a trailing slash ("" for none): prepended to every route's upstream path. */
    String basePath() {
      String p = url.getRawPath() == null ? "" : url.getRawPath();
      return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public String toString() {
      return provider + "=" + url + " (" + key + ")";
    }
  }

  private final List<Upstream> upstreams;
  private final long maxRequestBodyBytes;
  private final Duration streamIdleTimeout;
  private final int maxRecordedReplyBytes;
  private final int maxRecordedRequestBytes;

  private LlmConfig(Settings s) {
    List<Upstream> list = new ArrayList<>();
    for (String provider : List.of(LlmRoutes.ANTHROPIC, LlmRoutes.OPENAI)) {
      if (s.has(Upstream.urlKey(provider))) {
        URI url = url(s, Upstream.urlKey(provider));
        Path keyFile = s.getPath(Upstream.keyFileKey(provider), null);
        if (keyFile == null) {
          throw new ConfigException("Setting " + Upstream.keyFileKey(provider) + " is required when "
              + Upstream.urlKey(provider) + " is set (the gateway holds the provider's API key)");
        }
        list.add(new Upstream(provider, url, ProviderKey.read(keyFile, Upstream.keyFileKey(provider))));
      }
    }
    this.upstreams = List.copyOf(list);
    this.maxRequestBodyBytes = s.getLong(MAX_REQUEST_BODY_BYTES, 8L * 1024 * 1024, 1, Integer.MAX_VALUE);
    this.streamIdleTimeout = s.getDuration(STREAM_IDLE_TIMEOUT, Duration.ofSeconds(120));
    if (streamIdleTimeout.isZero() || streamIdleTimeout.isNegative()) {
      throw new ConfigException("Setting " + STREAM_IDLE_TIMEOUT + " must be a positive duration");
    }
    this.maxRecordedReplyBytes = s.getInt(MAX_RECORDED_REPLY_BYTES, 256 * 1024, 0, MAX_RECORDED_CAP);
    this.maxRecordedRequestBytes = s.getInt(MAX_RECORDED_REQUEST_BYTES, 256 * 1024, 0, MAX_RECORDED_CAP);
  }

  /** Reads and validates the {@code vigil.proxy.llm.*} keys. */
  public static LlmConfig from(Settings settings) {
    return new LlmConfig(settings);
  }

  private static URI url(Settings s, String key) {
    URI url;
    try {
      url = new URI(s.get(key, "").strip());
    } catch (URISyntaxException e) {
      throw new ConfigException("Setting " + key + " is not a URL: " + e.getMessage());
    }
    String scheme = url.getScheme();
    if (url.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))
        || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new ConfigException("Setting " + key + " must be an http(s) URL with a host and no query, fragment or user "
          + "info (e.g. https://api.anthropic.com)");
    }
    if ("http".equals(scheme) && !LoopbackHosts.isLoopback(url.getHost())) {
      throw new ConfigException("Setting " + key + " must use https unless its host is loopback (the API key is sent "
          + "with every call)");
    }
    return url;
  }

  /** The enabled providers. */
  public List<Upstream> upstreams() { return upstreams; }
  /** Larger LLM request bodies are refused with 413 (nothing forwarded). */
  public long maxRequestBodyBytes() { return maxRequestBodyBytes; }
  /** A call receiving nothing from its provider for this long fails: 504 before the answer, else the stream ends. */
  public Duration streamIdleTimeout() { return streamIdleTimeout; }
  /** Bytes of the (assembled) reply kept in ResponseCompleted.body; the rest is flagged truncated. */
  public int maxRecordedReplyBytes() { return maxRecordedReplyBytes; }
  /** Bytes of the request JSON kept in RequestReceived.body (masked first, then cut); the rest is flagged truncated. */
  public int maxRecordedRequestBytes() { return maxRecordedRequestBytes; }

  @Override
  public String toString() {
    return "LlmConfig{upstreams=" + upstreams + ", maxRequestBodyBytes=" + maxRequestBodyBytes
        + ", streamIdleTimeout=" + streamIdleTimeout + ", maxRecordedReplyBytes=" + maxRecordedReplyBytes
        + ", maxRecordedRequestBytes=" + maxRecordedRequestBytes + "}";
  }
}

package dev.vigil.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

import dev.vigil.common.ConfigException;

/**
 * Builds OpenSearch clients: opensearch-java over the Apache HttpClient 5 transport, with Jackson JSON mapping. Shared by
 * the indexer and the query API (one recipe: base path prefix, timeouts, basic auth).
 */
public final class OpenSearchClients {

  /** The response timeout of {@link #transport(String, String, String)}. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  private OpenSearchClients() {}

  /** A client for {@code url} (e.g. {@code http://127.0.0.1:9200}) without authentication. */
  public static OpenSearchClient create(String url) {
    return create(url, null, null);
  }

  /** A client for {@code url}, with HTTP basic authentication when {@code username} is not null. */
  public static OpenSearchClient create(String url, String username, String password) {
    return new OpenSearchClient(transport(url, username, password));
  }

  /** The transport behind {@link #create}; close it (or {@code client._transport()}) to release connections. */
  public static OpenSearchTransport transport(String url, String username, String password) {
    return transport(url, username, password, DEFAULT_RESPONSE_TIMEOUT);
  }

  /**
   * A transport for {@code url} (http or https, optional base path such as {@code https://gw/opensearch}), with basic
   * authentication when {@code username} is not null. Credentials inside the URL are refused (they would be dropped
   * silently by the HTTP client and show up in logs): pass them as {@code username}/{@code password}.
   */
  public static OpenSearchTransport transport(String url, String username, String password, Duration responseTimeout) {
    URI uri = URI.create(url);
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("OpenSearch URL must not contain credentials; pass a username and password instead");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("OpenSearch URL must not have a query or fragment");
    }
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 9200;
    HttpHost host = new HttpHost(scheme, uri.getHost(), port);
    ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
        .setMapper(new JacksonJsonpMapper())
        .setRequestConfigCallback(rc -> rc
            .setConnectionRequestTimeout(Timeout.of(10, TimeUnit.SECONDS))
            .setResponseTimeout(Timeout.of(responseTimeout.toMillis(), TimeUnit.MILLISECONDS)))
        .setConnectionConfigCallback(cc -> cc.setConnectTimeout(Timeout.of(5, TimeUnit.SECONDS)));
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      builder.setPathPrefix(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }
    if (username != null) {
      BasicCredentialsProvider credentials = new BasicCredentialsProvider();
      credentials.setCredentials(new AuthScope(host),
          new UsernamePasswordCredentials(username, password == null ? new char[0] : password.toCharArray()));
      builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
    }
    return builder.build();
  }

  /**
   * Validates the OpenSearch URL setting {@code key}: an http(s) URL with a host, optionally a base path, no query or
   * fragment, and no credentials (those go in the sibling {@code .username} / {@code .password} keys). The messages
   * never repeat credentials found in the value.
   *
   * @return the value, stripped
   * @throws ConfigException naming {@code key}
   */
  public static String validateUrl(String key, String value) {
    String v = value == null ? "" : value.strip();
    String redacted = redactUserInfo(v);
    if (!redacted.equals(v)) {
      String base = key.endsWith(".url") ? key.substring(0, key.length() - "url".length()) : key + ".";
      throw new ConfigException("Setting " + key + " must not contain credentials (user:password@host): use the "
          + base + "username and " + base + "password keys instead, was '" + redacted + "'");
    }
    String example = "such as http://localhost:9200 or https://opensearch.example:9200/prefix";
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException("Setting " + key + " must be an http(s) URL " + example + ", was '" + v + "'");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new ConfigException("Setting " + key + " must not have a query string or fragment, was '" + v + "'");
      }
      return v;
    } catch (URISyntaxException e) {
      throw new ConfigException("Setting " + key + " must be an http(s) URL " + example + ", was '" + v + "'");
    }
  }

  /** {@code url} with any {@code user:password@} part of its authority replaced by {@code ****@}. */
  public static String redactUserInfo(String url) {
    int start = url.indexOf("//");
    if (start < 0) {
      return url;
    }
    int end = url.length();
    for (int i = start + 2; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int at = url.lastIndexOf('@', end - 1);
    if (at < start + 2) {
      return url;
    }
    return url.substring(0, start + 2) + "****@" + url.substring(at + 1);
  }

  /** Closes the client's transport, turning the checked exception into an unchecked one. */
  public static void close(OpenSearchClient client) {
    try {
      client._transport().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

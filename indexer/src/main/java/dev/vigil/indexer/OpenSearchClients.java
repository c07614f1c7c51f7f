package dev.vigil.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

/** Builds OpenSearch clients: opensearch-java over the Apache HttpClient 5 transport, with Jackson JSON mapping. */
public final class OpenSearchClients {

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
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 9200;
    HttpHost host = new HttpHost(scheme, uri.getHost(), port);
    ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
        .setMapper(new JacksonJsonpMapper())
        .setRequestConfigCallback(rc -> rc
            .setConnectionRequestTimeout(Timeout.of(10, TimeUnit.SECONDS))
            .setResponseTimeout(Timeout.of(60, TimeUnit.SECONDS)))
        .setConnectionConfigCallback(cc -> cc.setConnectTimeout(Timeout.of(5, TimeUnit.SECONDS)));
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      builder.setPathPrefix(uri.getRawPath());
    }
    if (username != null) {
      BasicCredentialsProvider credentials = new BasicCredentialsProvider();
      credentials.setCredentials(new AuthScope(host),
          new UsernamePasswordCredentials(username, password == null ? new char[0] : password.toCharArray()));
      builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
    }
    return builder.build();
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

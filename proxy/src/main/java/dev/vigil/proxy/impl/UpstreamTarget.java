package dev.vigil.proxy.impl;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import dev.vigil.common.ConfigException;
import dev.vigil.proxy.ProxyConfig;
import io.fabric8.kubernetes.client.Config;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The one Kubernetes API server behind the gateway, read from a kubeconfig (its current context) with fabric8's
 * parser: server URL, CA (data or file, or insecure-skip-tls-verify), and the gateway's own credential, a bearer
 * token or a client certificate and key. {@link #toString()} never shows the credential.
 */
final class UpstreamTarget {

  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final Buffer caPem;
  private final boolean trustAll;
  private final boolean verifyHost;
  private final String bearerToken;
  private final Buffer clientCertPem;
  private final Buffer clientKeyPem;

  private UpstreamTarget(Config c) throws Exception {
    URI server = URI.create(c.getMasterUrl());
    this.ssl = !"http".equalsIgnoreCase(server.getScheme());
    this.host = server.getHost();
    this.port = server.getPort() > 0 ? server.getPort() : (ssl ? 443 : 80);
    String p = server.getRawPath() == null ? "" : server.getRawPath();
    this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    this.caPem = pem(c.getCaCertData(), c.getCaCertFile());
    this.trustAll = c.isTrustCerts();
    this.verifyHost = !c.isDisableHostnameVerification();
    String token = c.getOauthToken() != null ? c.getOauthToken() : c.getAutoOAuthToken();
    this.bearerToken = token == null || token.isBlank() ? null : token.strip();
    this.clientCertPem = pem(c.getClientCertData(), c.getClientCertFile());
    this.clientKeyPem = pem(c.getClientKeyData(), c.getClientKeyFile());
    if (host == null) {
      throw new IllegalArgumentException("the server URL has no host");
    }
    if ((clientCertPem == null) != (clientKeyPem == null)) {
      throw new IllegalArgumentException("a client certificate needs both client-certificate and client-key");
    }
  }

  /** Reads the current context of the kubeconfig at {@code path}; errors name {@code vigil.proxy.upstream.kubeconfig}. */
  static UpstreamTarget fromKubeconfig(Path path) {
    try {
      Config config = Config.fromKubeconfig(path.toAbsolutePath().toFile());
      if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
        throw new IllegalArgumentException("no server URL in the current context");
      }
      return new UpstreamTarget(config);
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("Setting " + ProxyConfig.UPSTREAM_KUBECONFIG + " (" + path + "): cannot use this kubeconfig: "
          + e.getMessage());
    }
  }

  private static Buffer pem(String base64Data, String file) throws Exception {
    if (base64Data != null && !base64Data.isBlank()) {
      String data = base64Data.strip();
      if (data.startsWith("-----BEGIN")) {
        return Buffer.buffer(data);
      }
      return Buffer.buffer(Base64.getMimeDecoder().decode(data));
    }
    if (file != null && !file.isBlank()) {
      return Buffer.buffer(Files.readAllBytes(new File(file).toPath()));
    }
    return null;
  }

  /** Client options for the upstream: TLS trust and client certificate from the kubeconfig. */
  HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions()
        .setDefaultHost(host)
        .setDefaultPort(port)
        .setSsl(ssl)
        .setKeepAlive(true)
        .setDecompressionSupported(false);
    if (ssl) {
      if (trustAll) {
        o.setTrustAll(true).setVerifyHost(false);
      } else {
        o.setVerifyHost(verifyHost);
        if (caPem != null) {
          o.setTrustOptions(new PemTrustOptions().addCertValue(caPem));
        }
      }
      if (clientCertPem != null) {
        o.setKeyCertOptions(new PemKeyCertOptions().addCertValue(clientCertPem).addKeyValue(clientKeyPem));
      }
    }
    return o;
  }

  String host() { return host; }
  int port() { return port; }
  boolean ssl() { return ssl; }
  /** The server URL's path prefix (e.g. behind a Rancher-style proxy), without trailing slash; usually empty. */
  String basePath() { return basePath; }
  boolean hasClientCertificate() { return clientCertPem != null; }

  /** The Authorization value the gateway sends upstream, or null when it authenticates with a client certificate. */
  String authorizationHeader() {
    return bearerToken == null ? null : "Bearer " + bearerToken;
  }

  /** host:port, the only upstream detail the caller may see. */
  String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return "UpstreamTarget{" + (ssl ? "https" : "http") + "://" + hostPort() + basePath
        + ", ca=" + (trustAll ? "trust-all" : caPem != null ? "kubeconfig" : "system")
        + ", credential=" + (bearerToken != null ? "bearer-token(****)" : clientCertPem != null ? "client-certificate" : "none")
        + "}";
  }
}

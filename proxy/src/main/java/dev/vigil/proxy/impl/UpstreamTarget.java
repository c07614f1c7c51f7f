package dev.vigil.proxy.impl;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import dev.vigil.common.ConfigException;
import dev.vigil.proxy.ProxyConfig;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The one Kubernetes API server behind the gateway and the gateway's base credential, from either
 * <ul>
 *   <li>a kubeconfig (its current context, parsed with fabric8): server URL, CA (data or file, or
 *       insecure-skip-tls-verify), and a bearer token ({@code token}, or {@code tokenFile}, which takes precedence
 *       and is re-read as client-go does), or a client certificate and key; or</li>
 *   <li>the in-cluster service account: {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}, the CA
 *       and token file of the service-account directory (the token is re-read: projected tokens rotate).</li>
 * </ul>
 * {@link #toString()} never shows the credential. The live Authorization value is {@link UpstreamCredentials}'s.
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
  private final Path tokenFile;
  private final Buffer clientCertPem;
  private final Buffer clientKeyPem;
  private final String source;

  private UpstreamTarget(Config c, Path tokenFile, String source) throws Exception {
    URI server = URI.create(c.getMasterUrl());
    this.ssl = !"http".equalsIgnoreCase(server.getScheme());
    String h = server.getHost();
    this.host = h != null && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h; // IPv6 literal
    this.port = server.getPort() > 0 ? server.getPort() : (ssl ? 443 : 80);
    String p = server.getRawPath() == null ? "" : server.getRawPath();
    this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    this.caPem = pem(c.getCaCertData(), c.getCaCertFile());
    this.trustAll = c.isTrustCerts();
    this.verifyHost = !c.isDisableHostnameVerification();
    String token = c.getOauthToken() != null ? c.getOauthToken() : c.getAutoOAuthToken();
    this.tokenFile = tokenFile;
    this.bearerToken = tokenFile != null ? readToken(tokenFile) : token == null || token.isBlank() ? null : token.strip();
    this.clientCertPem = pem(c.getClientCertData(), c.getClientCertFile());
    this.clientKeyPem = pem(c.getClientKeyData(), c.getClientKeyFile());
    this.source = source;
    if (host == null) {
      throw new IllegalArgumentException("the server URL has no host");
    }
    if ((clientCertPem == null) != (clientKeyPem == null)) {
      throw new IllegalArgumentException("a client certificate needs both client-certificate and client-key");
    }
  }

  /** The kubeconfig if one is configured, else the in-cluster service account. */
  static UpstreamTarget load(ProxyConfig config) {
    return config.upstreamKubeconfig() != null
        ? fromKubeconfig(config.upstreamKubeconfig())
        : inCluster(System.getenv(), config.serviceAccountDir());
  }

  /** Reads the current context of the kubeconfig at {@code path}; errors name {@code vigil.proxy.upstream.kubeconfig}. */
  static UpstreamTarget fromKubeconfig(Path path) {
    try {
      Config config = Config.fromKubeconfig(path.toAbsolutePath().toFile());
      if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
        throw new IllegalArgumentException("no server URL in the current context");
      }
      return new UpstreamTarget(config, tokenFile(path, config), "kubeconfig " + path);
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("Setting " + ProxyConfig.UPSTREAM_KUBECONFIG + " (" + path + "): cannot use this kubeconfig: "
          + e.getMessage());
    }
  }

  /**
   * The in-cluster API server and service account, as client-go's {@code rest.InClusterConfig}: host and port from
   * {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT}, {@code <dir>/token} (re-read) and
   * {@code <dir>/ca.crt}.
   */
  static UpstreamTarget inCluster(Map<String, String> env, Path serviceAccountDir) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    Path token = serviceAccountDir.resolve("token");
    Path ca = serviceAccountDir.resolve("ca.crt");
    if (host == null || host.isBlank()) {
      throw new ConfigException("Setting " + ProxyConfig.UPSTREAM_KUBECONFIG + " is not set and KUBERNETES_SERVICE_HOST "
          + "is not in the environment: give the gateway a kubeconfig, or run it in a Kubernetes pod");
    }
    try {
      String h = host.strip();
      Config c = Config.empty();
      c.setMasterUrl("https://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + Integer.parseInt(port.strip()));
      if (Files.isReadable(ca)) {
        c.setCaCertFile(ca.toString());
      }
      return new UpstreamTarget(c, token, "in-cluster service account " + serviceAccountDir);
    } catch (Exception e) {
      throw new ConfigException("Setting " + ProxyConfig.UPSTREAM_SERVICE_ACCOUNT_DIR + " (" + serviceAccountDir
          + "): cannot use the in-cluster service account: " + e.getMessage());
    }
  }

  /** The current context user's {@code tokenFile}, resolved against the kubeconfig's directory, or null. */
  private static Path tokenFile(Path kubeconfig, Config config) {
    if (config.getCurrentContext() == null || config.getCurrentContext().getContext() == null) {
      return null;
    }
    String user = config.getCurrentContext().getContext().getUser();
    io.fabric8.kubernetes.api.model.Config parsed = KubeConfigUtils.parseConfig(kubeconfig.toAbsolutePath().toFile());
    if (user == null || parsed.getUsers() == null) {
      return null;
    }
    for (NamedAuthInfo u : parsed.getUsers()) {
      if (user.equals(u.getName()) && u.getUser() != null && u.getUser().getTokenFile() != null
          && !u.getUser().getTokenFile().isBlank()) {
        Path f = Path.of(u.getUser().getTokenFile().strip());
        return f.isAbsolute() ? f : kubeconfig.toAbsolutePath().getParent().resolve(f);
      }
    }
    return null;
  }

  /** The token in {@code file}, stripped; fails if the file cannot be read or is empty. */
  static String readToken(Path file) throws java.io.IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new java.io.IOException("the token file " + file + " is empty");
    }
    return token;
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
        .setProtocolVersion(HttpVersion.HTTP_1_1) // upgrades need HTTP/1.1; see proxy/README.md "Protocols"
        .setUseAlpn(false)
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

  /** The bearer token read at start (from the kubeconfig or the token file), or null (client certificate). */
  String bearerToken() { return bearerToken; }
  /** A token file to re-read (kubeconfig {@code tokenFile} or the in-cluster token), or null. */
  Path tokenFile() { return tokenFile; }

  /** The Authorization value of the base credential as read at start, or null for a client certificate. */
  String authorizationHeader() {
    return bearerToken == null ? null : "Bearer " + bearerToken;
  }

  /** host:port, the only upstream detail the caller may see. */
  String hostPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return "UpstreamTarget{" + (ssl ? "https" : "http") + "://" + hostPort() + basePath + ", from " + source
        + ", ca=" + (trustAll ? "trust-all" : caPem != null ? "configured" : "system")
        + ", credential=" + (tokenFile != null ? "bearer-token-file(" + tokenFile + ")"
            : bearerToken != null ? "bearer-token(****)" : clientCertPem != null ? "client-certificate" : "none")
        + "}";
  }
}

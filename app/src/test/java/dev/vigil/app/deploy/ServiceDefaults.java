package dev.vigil.app.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.vigil.common.Settings;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.query.QueryApiConfig;

/** The services' default ports as the config classes compute them (not copied numbers). */
final class ServiceDefaults {

  private ServiceDefaults() {}

  /** ProxyConfig has no DEFAULT_PORT constant: read the default from a minimal valid configuration. */
  static int proxyPort() {
    try {
      Path dir = Files.createTempDirectory("vigil-deploy-test");
      Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
      Path key = Files.writeString(dir.resolve("tls.key"), "x");
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "x");
      return ProxyConfig.from(Settings.of(Map.of(ProxyConfig.TLS_CERT_FILE, cert.toString(),
          ProxyConfig.TLS_KEY_FILE, key.toString(), ProxyConfig.UPSTREAM_KUBECONFIG, kubeconfig.toString(),
          ProxyConfig.OIDC_ISSUER, "https://issuer.example"))).port();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int queryApiPort() {
    return QueryApiConfig.DEFAULT_PORT;
  }
}

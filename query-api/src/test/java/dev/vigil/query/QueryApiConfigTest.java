package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;

class QueryApiConfigTest {

  private static Settings settings(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("vigil.query.oidc.issuer", "https://issuer.example/");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Settings.of(m);
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    QueryApiConfig c = QueryApiConfig.from(settings());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8081);
    assertThat(c.openSearchUrl()).isEqualTo("http://localhost:9200");
    assertThat(c.indexPattern()).isEqualTo("vigil-events-*");
    assertThat(c.oidcIssuer()).isEqualTo("https://issuer.example");
    assertThat(c.oidcAudience()).isEqualTo("vigil");
    assertThat(c.groupsClaim()).isEqualTo("groups");
    assertThat(c.analystGroup()).isEqualTo("vigil-analysts");
    assertThat(c.tls()).isFalse();
    assertThat(c.allowInsecureHttp()).isFalse();
  }

  @Test
  void shouldRefuseAPlainHttpIssuerUnlessItIsOnLoopback() {
    for (String issuer : new String[] {"http://issuer.example", "http://10.0.0.7:8180/realms/vigil", "http://127.example",
        "http://localhost.evil.example", "http://[::2]:8180"}) {
      assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.oidc.issuer", issuer)))
          .as(issuer).isInstanceOf(ConfigException.class)
          .hasMessageContaining("vigil.query.oidc.issuer").hasMessageContaining("https://");
    }
    for (String issuer : new String[] {"http://127.0.0.1:8180", "http://127.4.5.6/realms/x", "http://localhost:8180/",
        "http://LOCALHOST", "http://[::1]:8180", "https://issuer.example"}) {
      assertThat(QueryApiConfig.from(settings("vigil.query.oidc.issuer", issuer)).oidcIssuer()).as(issuer).isNotBlank();
    }
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.oidc.issuer", "https://client:s3cret@issuer.example")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.oidc.issuer")
        .message().doesNotContain("s3cret");
  }

  @Test
  void shouldRefusePlainHttpOnANonLoopbackHostUnlessExplicitlyAllowed() {
    for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3", "query.example"}) {
      assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.host", host)))
          .as(host).isInstanceOf(ConfigException.class)
          .hasMessageContaining("vigil.query.host").hasMessageContaining("vigil.query.tls.cert-file")
          .hasMessageContaining("vigil.query.allow-insecure-http");
    }
    for (String host : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
      assertThat(QueryApiConfig.from(settings("vigil.query.host", host)).host()).isEqualTo(host);
    }
    QueryApiConfig behindIngress = QueryApiConfig.from(settings("vigil.query.host", "0.0.0.0",
        "vigil.query.allow-insecure-http", "true"));
    assertThat(behindIngress.allowInsecureHttp()).isTrue();
    assertThat(behindIngress.tls()).isFalse();
  }

  @Test
  void shouldServeTlsFromPemFilesOnAnyHost(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("query.crt"), "-----BEGIN CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("query.key"), "-----BEGIN PRIVATE KEY-----\n");

    QueryApiConfig c = QueryApiConfig.from(settings("vigil.query.host", "0.0.0.0",
        "vigil.query.tls.cert-file", cert.toString(), "vigil.query.tls.key-file", key.toString()));

    assertThat(c.tls()).isTrue();
    assertThat(c.tlsCertFile()).isEqualTo(cert);
    assertThat(c.tlsKeyFile()).isEqualTo(key);
    assertThat(c.toString()).contains("https://0.0.0.0");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.tls.cert-file", cert.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.tls.key-file");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.tls.cert-file", cert.toString(),
        "vigil.query.tls.key-file", dir.resolve("missing.key").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.tls.key-file");
  }

  @Test
  void shouldRefuseCredentialsInTheOpenSearchUrl() {
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.opensearch.url", "https://reader:s3cret@os.example:9200")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.query.opensearch.url")
        .hasMessageContaining("vigil.query.opensearch.username")
        .message().doesNotContain("s3cret");
  }

  @Test
  void shouldRequireTheIssuer() {
    assertThatThrownBy(() -> QueryApiConfig.from(Settings.of(Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.oidc.issuer");
  }

  @Test
  void shouldNameTheBadKey() {
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.port", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.port");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.opensearch.url", "ftp://x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.opensearch.url");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.oidc.issuer", "not a url")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.oidc.issuer");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.index-pattern", "Events/*")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.index-pattern");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.index-pattern", "a-*,")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.index-pattern");
    assertThatThrownBy(() -> QueryApiConfig.from(settings("vigil.query.oidc.groups-claim", "a..b")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.query.oidc.groups-claim");
  }

  @Test
  void shouldAcceptPortZeroAndNestedGroupClaims() {
    QueryApiConfig c = QueryApiConfig.from(settings("vigil.query.port", "0", "vigil.query.oidc.groups-claim", "realm_access.roles"));
    assertThat(c.port()).isZero();
    assertThat(c.groupsClaim()).isEqualTo("realm_access.roles");
    assertThat(QueryApiConfig.from(settings("vigil.query.index-pattern", "vigil-events-*,archive-*")).indexPattern())
        .isEqualTo("vigil-events-*,archive-*");
  }

  @Test
  void shouldHideThePasswordInToString() {
    QueryApiConfig c = QueryApiConfig.from(settings("vigil.query.opensearch.username", "reader",
        "vigil.query.opensearch.password", "s3cret"));
    assertThat(c.toString()).contains("reader").doesNotContain("s3cret");
  }
}

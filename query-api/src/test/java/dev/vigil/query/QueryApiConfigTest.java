package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

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

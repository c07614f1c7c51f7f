package dev.vigil.query;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.Vertx;

import dev.vigil.common.Settings;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.opensearch.EmbeddedOpenSearch;
import dev.vigil.query.fixture.IndexFixture;
import dev.vigil.query.fixture.Partitions;
import dev.vigil.schema.chain.Ed25519Keys;

/**
 * A query API over fresh indices of the embedded OpenSearch node (filled by the test through {@link IndexFixture}), a
 * dev OIDC issuer and a session-signing key pair whose public half the API is configured with (key id {@value #KEY_ID}).
 */
final class ApiHarness {

  static final String KEY_ID = "test-key";

  final Vertx vertx = Vertx.vertx();
  final KeyPair keys = Ed25519Keys.generate();
  final Partitions partitions = new Partitions();
  final IndexFixture index;
  final DevOidcIssuer issuer;
  final QueryApi api;
  final Http http;
  private final Map<String, String> settings;

  ApiHarness(EmbeddedOpenSearch os, Map<String, String> extra) throws Exception {
    index = new IndexFixture(os.httpUrl(), "q" + UUID.randomUUID().toString().substring(0, 8));
    issuer = QueryApiAuthTest.await(DevOidcIssuer.start(vertx, 0));
    Path pub = Files.createTempFile("vigil-signing", ".pub.pem");
    pub.toFile().deleteOnExit();
    Files.writeString(pub, Ed25519Keys.toPem(keys.getPublic()), StandardCharsets.US_ASCII);
    Map<String, String> s = new LinkedHashMap<>(Map.of(
        "vigil.query.port", "0",
        "vigil.query.oidc.issuer", issuer.issuerUrl(),
        "vigil.query.opensearch.url", os.httpUrl(),
        "vigil.query.index-pattern", index.eventsPattern(),
        "vigil.query.sessions-index", index.sessionsIndex,
        "vigil.query.alerts-index", index.alertsIndex,
        "vigil.query.signing.public-keys." + KEY_ID, pub.toString()));
    settings = Map.copyOf(s);
    api = another(extra);
    http = new Http(api.port());
  }

  /** Another query API over the same indices, with {@code extra} settings (the caller closes it). */
  QueryApi another(Map<String, String> extra) throws Exception {
    Map<String, String> s = new LinkedHashMap<>(settings);
    s.putAll(extra);
    return QueryApiAuthTest.await(QueryApi.start(vertx, QueryApiConfig.from(Settings.of(s))));
  }

  String analyst() {
    return issuer.mint("analyst-1", List.of("vigil-analysts"), Duration.ofMinutes(10));
  }

  /** A token of an identity outside the analyst group (its username = the token subject). */
  String agent(String name) {
    return issuer.mint(name, List.of("ai-agents"), Duration.ofMinutes(10));
  }

  void close() throws Exception {
    QueryApiAuthTest.await(api.close());
    QueryApiAuthTest.await(issuer.close());
    QueryApiAuthTest.await(vertx.close());
  }
}

package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.vertx.core.Vertx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.Settings;
import dev.vigil.embedded.oidc.DevOidcIssuer;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;

/** The listener serves HTTPS from PEM files (no OpenSearch needed: health check and 401s only). */
class QueryApiTlsTest {

  @Test
  void shouldServeHttpsWithTheConfiguredPemCertificate(@TempDir Path dir) throws Exception {
    DevPki pki = DevPki.create("query-api-test-ca");
    IssuedCert cert = pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    IssuedCert.Paths files = cert.writeTo(dir, "query");
    Vertx vertx = Vertx.vertx();
    DevOidcIssuer issuer = QueryApiAuthTest.await(DevOidcIssuer.start(vertx, 0));
    QueryApi api = null;
    try {
      api = QueryApiAuthTest.await(QueryApi.start(vertx, QueryApiConfig.from(Settings.of(Map.of(
          "vigil.query.port", "0",
          "vigil.query.oidc.issuer", issuer.issuerUrl(),
          "vigil.query.opensearch.url", "http://127.0.0.1:1",
          "vigil.query.tls.cert-file", files.certFile().toString(),
          "vigil.query.tls.key-file", files.keyFile().toString())))));

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.caCertificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + api.port() + "/healthz"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("ok");
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + api.port()
          + "/api/v1/events")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);

      int port = api.port();
      assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()))
          .as("no plain HTTP on the TLS port").isInstanceOf(IOException.class);
    } finally {
      if (api != null) {
        QueryApiAuthTest.await(api.close());
      }
      QueryApiAuthTest.await(issuer.close());
      QueryApiAuthTest.await(vertx.close());
    }
  }
}

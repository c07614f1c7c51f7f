package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.embedded.pki.DevPki;
import dev.vigil.embedded.pki.IssuedCert;
import io.vertx.core.http.HttpClientOptions;

class UpstreamTargetTest {

  @TempDir
  Path dir;

  private static final DevPki PKI = DevPki.create("upstream-test-ca");

  private Path write(String name, String server, String user) throws Exception {
    String ca = Base64.getEncoder().encodeToString(PKI.caCertPem().getBytes(StandardCharsets.UTF_8));
    return Files.writeString(dir.resolve(name), "apiVersion: v1\nkind: Config\n"
        + "clusters:\n- name: c\n  cluster:\n    server: " + server + "\n    certificate-authority-data: " + ca + "\n"
        + "users:\n- name: u\n  user:\n" + user
        + "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n");
  }

  @Test
  void shouldReadServerCaAndBearerTokenWithoutShowingTheToken() throws Exception {
    UpstreamTarget t = UpstreamTarget.fromKubeconfig(write("k1", "https://10.0.0.1:6443", "    token: s3cr3t-token\n"));

    assertThat(t.host()).isEqualTo("10.0.0.1");
    assertThat(t.port()).isEqualTo(6443);
    assertThat(t.ssl()).isTrue();
    assertThat(t.basePath()).isEmpty();
    assertThat(t.hostPort()).isEqualTo("10.0.0.1:6443");
    assertThat(t.authorizationHeader()).isEqualTo("Bearer s3cr3t-token");
    assertThat(t.toString()).doesNotContain("s3cr3t");
    HttpClientOptions o = t.clientOptions();
    assertThat(o.isSsl()).isTrue();
    assertThat(o.getTrustOptions()).isNotNull();
    assertThat(o.isTrustAll()).isFalse();
  }

  @Test
  void shouldReadClientCertificatesAndPathPrefixes() throws Exception {
    IssuedCert client = PKI.issueClient("vigil-gateway", List.of("system:masters"));
    IssuedCert.Paths files = client.writeTo(dir, "gateway");
    UpstreamTarget t = UpstreamTarget.fromKubeconfig(write("k2", "https://api.example:443/k8s/clusters/c-1/",
        "    client-certificate: " + files.certFile() + "\n    client-key: " + files.keyFile() + "\n"));

    assertThat(t.basePath()).isEqualTo("/k8s/clusters/c-1");
    assertThat(t.hasClientCertificate()).isTrue();
    assertThat(t.authorizationHeader()).isNull();
    assertThat(t.clientOptions().getKeyCertOptions()).isNotNull();
  }

  @Test
  void shouldNameTheSettingWhenTheKubeconfigIsUnusable() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken"), "this: [is not: a kubeconfig");

    assertThatThrownBy(() -> UpstreamTarget.fromKubeconfig(broken)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.upstream.kubeconfig");
  }
}

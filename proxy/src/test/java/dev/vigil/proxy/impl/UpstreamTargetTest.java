package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

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
  void shouldPreferAKubeconfigTokenFileResolvedNextToTheKubeconfig() throws Exception {
    Files.writeString(dir.resolve("gateway.token"), "file-token-1\n");
    UpstreamTarget t = UpstreamTarget.fromKubeconfig(write("k3", "https://10.0.0.1:6443",
        "    token: inline-token\n    tokenFile: gateway.token\n"));

    assertThat(t.tokenFile()).isEqualTo(dir.resolve("gateway.token").toAbsolutePath());
    assertThat(t.bearerToken()).isEqualTo("file-token-1");
    assertThat(t.toString()).doesNotContain("file-token-1").doesNotContain("inline-token");
  }

  @Test
  void shouldReadTheInClusterServiceAccount() throws Exception {
    Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(sa.resolve("token"), "projected-token");
    Files.writeString(sa.resolve("ca.crt"), PKI.caCertPem());

    UpstreamTarget t = UpstreamTarget.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
        "KUBERNETES_SERVICE_PORT", "443"), sa);
    UpstreamTarget v6 = UpstreamTarget.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"), sa);

    assertThat(t.hostPort()).isEqualTo("10.96.0.1:443");
    assertThat(t.ssl()).isTrue();
    assertThat(t.tokenFile()).isEqualTo(sa.resolve("token"));
    assertThat(t.bearerToken()).isEqualTo("projected-token");
    assertThat(t.clientOptions().getTrustOptions()).isNotNull();
    assertThat(t.toString()).contains("in-cluster").doesNotContain("projected-token");
    assertThat(v6.hostPort()).isEqualTo("[fd00::1]:443");
    assertThatThrownBy(() -> UpstreamTarget.inCluster(Map.of(), sa)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBERNETES_SERVICE_HOST");
    Files.writeString(sa.resolve("token"), "  ");
    assertThatThrownBy(() -> UpstreamTarget.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), sa))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vigil.proxy.upstream.service-account-dir");
  }

  @Test
  void shouldNameTheSettingWhenTheKubeconfigIsUnusable() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken"), "this: [is not: a kubeconfig");

    assertThatThrownBy(() -> UpstreamTarget.fromKubeconfig(broken)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.upstream.kubeconfig");
  }
}

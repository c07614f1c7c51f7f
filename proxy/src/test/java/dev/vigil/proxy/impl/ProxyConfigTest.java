package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.common.ConfigException;
import dev.vigil.common.Settings;
import dev.vigil.proxy.OidcIssuerConfig;
import dev.vigil.proxy.ProxyConfig;

class ProxyConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> minimal() throws Exception {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "cert");
    Path key = Files.writeString(dir.resolve("tls.key"), "key");
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1");
    Map<String, String> m = new HashMap<>();
    m.put("vigil.proxy.tls.cert-file", cert.toString());
    m.put("vigil.proxy.tls.key-file", key.toString());
    m.put("vigil.proxy.upstream.kubeconfig", kubeconfig.toString());
    m.put("vigil.proxy.oidc.issuer", "https://issuer.example");
    return m;
  }

  @Test
  void shouldApplyDocumentedDefaults() throws Exception {
    ProxyConfig c = ProxyConfig.from(Settings.of(minimal()));

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.oidcIssuers()).singleElement().satisfies(i -> {
      assertThat(i.name()).isEqualTo("default");
      assertThat(i.url()).hasToString("https://issuer.example");
      assertThat(i.audience()).isEqualTo("vigil");
      assertThat(i.usernameClaim()).isEqualTo("sub");
      assertThat(i.usernamePrefix()).isEmpty();
      assertThat(i.groupsClaim()).isEqualTo("groups");
      assertThat(i.groupsPrefix()).isEmpty();
    });
    assertThat(c.oidcAllowInsecureHttp()).isFalse();
    assertThat(c.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.http2()).isTrue();
    assertThat(c.impersonation()).isTrue();
    assertThat(c.tokenRequest()).isNull();
    assertThat(c.tokenReloadInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxRequestBodyBytes()).isEqualTo(3L * 1024 * 1024);
    assertThat(c.recordMaxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(c.eventsTopic()).isEqualTo("vigil.events.v1");
    assertThat(c.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.upstreamIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.gatewayId()).startsWith("vigil-proxy");
    assertThat(c.kafkaProducer()).isEmpty();
  }

  @Test
  void shouldReadTheRequestHeadLimitsAndDeadlines() throws Exception {
    ProxyConfig defaults = ProxyConfig.from(Settings.of(minimal()));
    assertThat(defaults.serverMaxHeaderBytes()).isEqualTo(64 * 1024);
    assertThat(defaults.serverMaxInitialLineBytes()).isEqualTo(16 * 1024);
    assertThat(defaults.serverRequestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.serverRequestBodyTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(GatewaySecurity.listenOptions(defaults).getMaxHeaderSize()).isEqualTo(64 * 1024);
    assertThat(GatewaySecurity.listenOptions(defaults).getInitialSettings().getMaxHeaderListSize()).isEqualTo(64 * 1024);

    Map<String, String> m = minimal();
    m.put(ProxyConfig.SERVER_MAX_HEADER_BYTES, "8192");
    m.put(ProxyConfig.SERVER_MAX_INITIAL_LINE_BYTES, "1024");
    m.put(ProxyConfig.SERVER_REQUEST_HEADER_TIMEOUT, "0s");
    m.put(ProxyConfig.SERVER_REQUEST_BODY_TIMEOUT, "5s");
    ProxyConfig c = ProxyConfig.from(Settings.of(m));
    assertThat(GatewaySecurity.listenOptions(c).getMaxHeaderSize()).isEqualTo(8192);
    assertThat(GatewaySecurity.listenOptions(c).getMaxInitialLineLength()).isEqualTo(1024);
    assertThat(c.serverRequestHeaderTimeout()).isZero();
    assertThat(GatewayLimits.from(c).bodyTimeoutMillis()).isEqualTo(5000);

    m.put(ProxyConfig.SERVER_MAX_HEADER_BYTES, "100");
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(ProxyConfig.SERVER_MAX_HEADER_BYTES);
    m.put(ProxyConfig.SERVER_MAX_HEADER_BYTES, "8192");
    m.put(ProxyConfig.SERVER_REQUEST_HEADER_TIMEOUT, "-1s");
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class)
        .hasMessageContaining(ProxyConfig.SERVER_REQUEST_HEADER_TIMEOUT);
  }

  @Test
  void shouldNameTheMissingKey() throws Exception {
    for (String key : new String[] {"vigil.proxy.tls.cert-file", "vigil.proxy.tls.key-file",
        "vigil.proxy.upstream.kubeconfig", "vigil.proxy.oidc.issuer"}) {
      Map<String, String> m = minimal();
      m.remove(key);
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
  }

  @Test
  void shouldRejectBadValuesNamingTheKey() throws Exception {
    Map<String, Map<String, String>> bad = Map.of(
        "vigil.proxy.port", Map.of("vigil.proxy.port", "70000"),
        "vigil.proxy.oidc.issuer", Map.of("vigil.proxy.oidc.issuer", "ftp://x"),
        "vigil.proxy.oidc.issuers", Map.of("vigil.proxy.oidc.issuers", "Corp"),
        "vigil.proxy.oidc.issuer.ci.url", Map.of("vigil.proxy.oidc.issuers", "ci"),
        "vigil.proxy.upstream.token-request.service-account", Map.of("vigil.proxy.upstream.token-request.service-account", "just-a-name"),
        "vigil.proxy.upstream.token-request.expiration", Map.of("vigil.proxy.upstream.token-request.service-account", "ns/sa",
            "vigil.proxy.upstream.token-request.expiration", "5m"),
        "vigil.proxy.tls.cert-file", Map.of("vigil.proxy.tls.cert-file", dir.resolve("missing.crt").toString()),
        "vigil.proxy.upstream.connect-timeout", Map.of("vigil.proxy.upstream.connect-timeout", "0s"),
        "vigil.proxy.record.max-body-bytes", Map.of("vigil.proxy.record.max-body-bytes", "-1"));
    for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
      Map<String, String> m = minimal();
      m.putAll(e.getValue());
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).as(e.getKey())
          .isInstanceOf(ConfigException.class).hasMessageContaining(e.getKey());
    }
  }

  @Test
  void shouldRequireHttpsIssuersUnlessLoopbackOrExplicitlyAllowed() throws Exception {
    Map<String, String> m = minimal();
    m.put("vigil.proxy.oidc.issuer", "http://idp.example");
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).hasMessageContaining("vigil.proxy.oidc.issuer")
        .hasMessageContaining("https");
    for (String loopback : new String[] {"http://127.0.0.1:8180", "http://localhost:1/x", "http://[::1]:8080"}) {
      m.put("vigil.proxy.oidc.issuer", loopback);
      assertThat(ProxyConfig.from(Settings.of(m)).oidcIssuers().get(0).url()).hasToString(loopback);
    }
    m.put("vigil.proxy.oidc.issuer", "http://idp.example");
    m.put("vigil.proxy.oidc.allow-insecure-http", "true");
    assertThat(ProxyConfig.from(Settings.of(m)).oidcAllowInsecureHttp()).isTrue();
  }

  @Test
  void shouldReadSeveralIssuersWithKubeStyleMappingAndPrefixesThatCannotCollide() throws Exception {
    Map<String, String> m = minimal();
    m.put("vigil.proxy.oidc.username-prefix", "corp:");
    m.put("vigil.proxy.oidc.groups-prefix", "corp:");
    m.put("vigil.proxy.oidc.issuers", "ci, gh-actions");
    m.put("vigil.proxy.oidc.issuer.ci.url", "https://ci.example/oidc");
    m.put("vigil.proxy.oidc.issuer.ci.audience", "vigil-ci");
    m.put("vigil.proxy.oidc.issuer.ci.username-claim", "email");
    m.put("vigil.proxy.oidc.issuer.gh-actions.url", "https://token.actions.githubusercontent.com");
    m.put("vigil.proxy.oidc.issuer.gh-actions.username-prefix", "gha/");
    m.put("vigil.proxy.oidc.issuer.gh-actions.groups-claim", "repository_owner");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.oidcIssuers()).extracting(OidcIssuerConfig::name).containsExactly("default", "ci", "gh-actions");
    OidcIssuerConfig ci = c.oidcIssuers().get(1);
    assertThat(ci.audience()).isEqualTo("vigil-ci");
    assertThat(ci.usernameClaim()).isEqualTo("email");
    assertThat(ci.usernamePrefix()).isEqualTo("ci:");
    assertThat(ci.groupsPrefix()).isEqualTo("ci:");
    OidcIssuerConfig gha = c.oidcIssuers().get(2);
    assertThat(gha.audience()).isEqualTo("vigil");
    assertThat(gha.usernamePrefix()).isEqualTo("gha/");
    assertThat(gha.groupsClaim()).isEqualTo("repository_owner");
    assertThat(gha.key("url")).isEqualTo("vigil.proxy.oidc.issuer.gh-actions.url");
    assertThat(c.oidcIssuers().get(0).key("username-prefix")).isEqualTo("vigil.proxy.oidc.username-prefix");

    m.remove("vigil.proxy.oidc.username-prefix"); // the default issuer would have no prefix next to others
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.oidc.username-prefix").hasMessageContaining("overlap");
    m.put("vigil.proxy.oidc.username-prefix", "c"); // a prefix of "ci:"
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).hasMessageContaining("overlap");
    m.put("vigil.proxy.oidc.username-prefix", "corp:");
    m.put("vigil.proxy.oidc.issuer.ci.url", "https://issuer.example/");
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).hasMessageContaining("same issuer");
  }

  @Test
  void shouldAcceptNamedIssuersAloneAndTheDashAsNoPrefix() throws Exception {
    Map<String, String> m = minimal();
    m.remove("vigil.proxy.oidc.issuer");
    m.put("vigil.proxy.oidc.issuers", "corp");
    m.put("vigil.proxy.oidc.issuer.corp.url", "https://corp.example");
    m.put("vigil.proxy.oidc.issuer.corp.username-prefix", "-");

    OidcIssuerConfig corp = ProxyConfig.from(Settings.of(m)).oidcIssuers().get(0);

    assertThat(corp.usernamePrefix()).isEmpty();
    assertThat(corp.groupsPrefix()).isEqualTo("corp:");
  }

  @Test
  void shouldReadTokenRequestSettings() throws Exception {
    Map<String, String> m = minimal();
    m.put("vigil.proxy.upstream.token-request.service-account", "vigil/gateway");
    m.put("vigil.proxy.upstream.token-request.audiences", "https://kubernetes.default.svc, other");
    m.put("vigil.proxy.upstream.token-request.expiration", "30m");
    m.put("vigil.proxy.impersonation.enabled", "false");
    m.put("vigil.proxy.http2.enabled", "false");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.tokenRequest()).isEqualTo(new dev.vigil.proxy.TokenRequestConfig("vigil", "gateway",
        java.util.List.of("https://kubernetes.default.svc", "other"), Duration.ofMinutes(30)));
    assertThat(c.impersonation()).isFalse();
    assertThat(c.http2()).isFalse();
  }

  @Test
  void shouldUseTheInClusterServiceAccountWithoutAKubeconfig() throws Exception {
    Map<String, String> m = minimal();
    m.remove("vigil.proxy.upstream.kubeconfig");
    Path sa = Files.createDirectories(dir.resolve("sa"));
    m.put("vigil.proxy.upstream.service-account-dir", sa.toString());
    assertThatThrownBy(() -> ProxyConfig.from(Settings.of(m))).hasMessageContaining("vigil.proxy.upstream.kubeconfig")
        .hasMessageContaining("in-cluster");
    Files.writeString(sa.resolve("token"), "t");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.upstreamKubeconfig()).isNull();
    assertThat(c.serviceAccountDir()).isEqualTo(sa);
  }

  @Test
  void shouldReadPolicyLabelLookupSettings() throws Exception {
    ProxyConfig defaults = ProxyConfig.from(Settings.of(minimal()));
    assertThat(defaults.labelCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.labelCacheMaxEntries()).isEqualTo(10_000);
    assertThat(defaults.labelLookupTimeout()).isEqualTo(Duration.ofSeconds(2));

    Map<String, String> m = minimal();
    m.put("vigil.proxy.policy.label-cache-ttl", "0s");
    m.put("vigil.proxy.policy.label-cache-max-entries", "50");
    m.put("vigil.proxy.policy.label-lookup-timeout", "750ms");
    ProxyConfig c = ProxyConfig.from(Settings.of(m));
    assertThat(c.labelCacheTtl()).isZero();
    assertThat(c.labelCacheMaxEntries()).isEqualTo(50);
    assertThat(c.labelLookupTimeout()).isEqualTo(Duration.ofMillis(750));

    for (Map.Entry<String, String> bad : Map.of("vigil.proxy.policy.label-cache-ttl", "-1s",
        "vigil.proxy.policy.label-cache-max-entries", "0",
        "vigil.proxy.policy.label-lookup-timeout", "0s").entrySet()) {
      Map<String, String> b = minimal();
      b.put(bad.getKey(), bad.getValue());
      assertThatThrownBy(() -> ProxyConfig.from(Settings.of(b))).as(bad.getKey()).isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.getKey());
    }
  }

  @Test
  void shouldPassKafkaProducerSettingsThroughAndHideSecretsInToString() throws Exception {
    Map<String, String> m = minimal();
    m.put("vigil.proxy.kafka.producer.bootstrap.servers", "k1:9092");
    m.put("vigil.proxy.kafka.producer.sasl.jaas.config", "org.apache.kafka...PlainLoginModule password=\"hunter2\";");
    m.put("vigil.proxy.kafka.producer.ssl.key.password", "hunter3");

    ProxyConfig c = ProxyConfig.from(Settings.of(m));

    assertThat(c.kafkaProducer()).containsEntry("bootstrap.servers", "k1:9092").containsKey("sasl.jaas.config");
    assertThat(c.toString()).contains("k1:9092").doesNotContain("hunter2").doesNotContain("hunter3");
  }

  @Test
  void shouldLetTheKafkaPassthroughOverrideDefaultsButNotTheSerializers() {
    Map<String, Object> config = KafkaRecordingSink.producerConfig(Map.of(
        "bootstrap.servers", "k1:9092", "acks", "1", "value.serializer", "x.Y", "linger.ms", "5"));

    assertThat(config).containsEntry("acks", "1").containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "5")
        .containsEntry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer")
        .containsEntry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    assertThat(KafkaRecordingSink.producerConfig(Map.of("bootstrap.servers", "k"))).containsEntry("acks", "all")
        .containsEntry("linger.ms", "0");
    assertThatThrownBy(() -> KafkaRecordingSink.producerConfig(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.proxy.kafka.producer.bootstrap.servers");
  }
}

package dev.vigil.bench.proxy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings and policy of a Vigil proxy under test: every authenticated call allowed, full recording (bodies
 * captured), responses masked for the caller (the default), recording best-effort or strict. Recorded events go to the
 * bench's Kafka broker; the caller's OIDC token is checked against the dev issuer.
 */
final class VigilConfig {

  record Settings(int port, Path certFile, Path keyFile, Path upstreamKubeconfig, String issuerUrl,
      String kafkaBootstrap, Path policyFile, String gatewayId) {}

  private VigilConfig() {}

  static String policy(boolean strict) {
    return String.join("\n",
        "# ProxyOverheadBench: allow every authenticated call, record everything, bodies included",
        "defaultEffect: allow",
        "defaults:",
        "  record: full",
        "  recording: " + (strict ? "strict" : "best-effort"),
        "");
  }

  static String properties(Settings s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vigil.proxy.host", "127.0.0.1");
    m.put("vigil.proxy.port", Integer.toString(s.port()));
    m.put("vigil.proxy.management.port", "-1");
    m.put("vigil.proxy.tls.cert-file", s.certFile().toAbsolutePath().toString());
    m.put("vigil.proxy.tls.key-file", s.keyFile().toAbsolutePath().toString());
    m.put("vigil.proxy.upstream.kubeconfig", s.upstreamKubeconfig().toAbsolutePath().toString());
    m.put("vigil.proxy.oidc.issuer", s.issuerUrl());
    m.put("vigil.proxy.kafka.producer.bootstrap.servers", s.kafkaBootstrap());
    m.put("vigil.proxy.policy.file", s.policyFile().toAbsolutePath().toString());
    m.put("vigil.proxy.gateway-id", s.gatewayId());
    return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
        .collect(Collectors.joining("\n", "", "\n"));
  }
}

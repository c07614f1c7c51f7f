package dev.vigil.proxy.policy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.vigil.schema.Channel;

/** Test helpers: a base request and JSON/YAML bodies. */
final class Requests {

  private static final ObjectMapper YAML = new YAMLMapper();

  private Requests() {}

  /** alice (sub-1, group devs, issuer https://idp) getting apps/deployments web in team-a (env=prod, app=web). */
  static PolicyRequest.Builder base() {
    return PolicyRequest.builder()
        .subject("sub-1").username("alice").groups(List.of("devs")).issuer("https://idp")
        .verb("get").apiGroup("apps").resource("deployments").namespace("team-a").name("web")
        .path("/apis/apps/v1/namespaces/team-a/deployments/web")
        .namespaceLabels(Map.of("env", "prod")).objectLabels(Map.of("app", "web"));
  }

  /** alice's LLM call as PolicyGate.decideLlm builds it: POST /llm/anthropic/v1/messages with {@code model}. */
  static PolicyRequest.Builder llm(String model) {
    return PolicyRequest.builder()
        .subject("sub-1").username("alice").groups(List.of("devs")).issuer("https://idp")
        .channel(Channel.LLM).verb("create").resourceRequest(false).path("/llm/anthropic/v1/messages").model(model);
  }

  /** A resource request: verb, resource, namespace (null = cluster-scoped). */
  static PolicyRequest.Builder req(String verb, String resource, String namespace) {
    return base().verb(verb).apiGroup("").resource(resource).namespace(namespace).name(null);
  }

  /** Parses YAML (or JSON, a YAML subset) into a tree. */
  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Policy policy(String yaml) {
    try {
      return Policy.parse(yaml);
    } catch (InvalidPolicyException e) {
      throw new AssertionError(e.errors().toString(), e);
    }
  }
}

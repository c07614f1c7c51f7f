package dev.vigil.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.vigil.proxy.policy.InvalidPolicyException;
import dev.vigil.proxy.policy.Policy;
import dev.vigil.proxy.policy.PolicyEffect;
import dev.vigil.proxy.policy.PolicyRequest;
import dev.vigil.proxy.policy.PolicyResult;
import dev.vigil.schema.KubernetesRequestInfo;

/**
 * Generated: many encodings of denied requests, each through the gateway's canonicalisation and RequestInfo parser.
 * Every encoding must be refused (400) or decided DENY — a {@code ;} in a segment that names a group, version,
 * resource, namespace or object, or anywhere in a non-resource path, is refused.
 */
class PolicyEncodingTest {

  private static final Policy POLICY;

  static {
    try {
      POLICY = Policy.parse("""
          defaultEffect: allow
          guardrails:
            secrets-only-in-allowed-namespaces: {namespaces: [team-a]}
          rules:
            - id: prod-config
              effect: deny
              reason: prod configmaps are off limits
              resources: [configmaps]
              namespaces: [prod]
            - id: debug
              effect: deny
              reason: no debug endpoints
              nonResourcePaths: ["/debug/*"]
          """);
    } catch (InvalidPolicyException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RequestInfoParser parser = new RequestInfoParser();

  private static final List<String[]> DENIED = List.of(
      new String[] {"GET", "/api/v1/namespaces/kube-system/pods/x/exec"},
      new String[] {"POST", "/api/v1/namespaces/kube-system/pods/x/exec"},
      new String[] {"GET", "/api/v1/namespaces/kube-system/pods/x/portforward"},
      new String[] {"DELETE", "/api/v1/namespaces/team-a"},
      new String[] {"DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x"},
      new String[] {"DELETE", "/api/v1/namespaces/team-a/pods"},
      new String[] {"GET", "/api/v1/namespaces/kube-system/secrets/s"},
      new String[] {"GET", "/api/v1/secrets"},
      new String[] {"GET", "/api/v1/watch/secrets"},
      new String[] {"GET", "/api/v1/namespaces/prod/configmaps/cfg"},
      new String[] {"GET", "/debug/pprof/profile"});

  @TestFactory
  Stream<DynamicTest> shouldRefuseOrDenyEveryEncoding() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String[] denied : DENIED) {
      for (String variant : variants(denied[1])) {
        tests.add(DynamicTest.dynamicTest(denied[0] + " " + variant, () -> check(denied[0], variant)));
      }
    }
    assertThat(tests).hasSizeGreaterThan(1000);
    return tests.stream();
  }

  private void check(String method, String rawPath) {
    RequestInfoParser.ParsedRequest parsed;
    try {
      parsed = parser.parse(method, rawPath, null);
    } catch (InvalidRequestException refused) {
      return;
    }
    KubernetesRequestInfo info = parsed.info();
    PolicyResult result = POLICY.evaluate(PolicyRequest.builder()
        .username("agent").verb(info.getVerb()).apiGroup(info.getApiGroup()).resource(info.getResource())
        .subresource(info.getSubresource()).namespace(info.getNamespace()).name(info.getName())
        .resourceRequest(info.getResourceRequest()).path(parsed.canonicalPath()).build());
    assertThat(result.effect()).as("%s %s parsed as %s -> %s", method, rawPath, info, result)
        .isEqualTo(PolicyEffect.DENY);
  }

  /** Encodings of a path: escapes (single, whole segments, mixed case), doubled and trailing slashes, ;params, dots. */
  static Set<String> variants(String path) {
    Set<String> out = new LinkedHashSet<>();
    out.add(path);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        continue;
      }
      out.add(path.substring(0, i) + String.format("%%%02x", (int) c) + path.substring(i + 1));
      out.add(path.substring(0, i) + String.format("%%%02X", (int) c) + path.substring(i + 1));
    }
    String[] segments = path.substring(1).split("/");
    for (int j = 0; j < segments.length; j++) {
      out.add(withSegment(segments, j, escapeAll(segments[j], true)));
      out.add(withSegment(segments, j, escapeAll(segments[j], false)));
      out.add(withSegment(segments, j, segments[j] + ";v=1"));
      out.add(withSegment(segments, j, segments[j] + ";"));
      out.add(withSegment(segments, j, segments[j] + "/./"));
      out.add(withSegment(segments, j, segments[j] + "/%2e%2E/" + segments[j]));
      out.add(withSegment(segments, j, "x/../" + segments[j]));
      out.add(withSegment(segments, j, segments[j] + "%2F"));
      out.add(withSegment(segments, j, segments[j] + "%2f"));
      out.add(withSegment(segments, j, segments[j] + "%00"));
      out.add(withSegment(segments, j, segments[j] + "%5C"));
    }
    StringBuilder allEscaped = new StringBuilder();
    for (String s : segments) {
      allEscaped.append('/').append(escapeAll(s, allEscaped.length() % 2 == 0));
    }
    out.add(allEscaped.toString());
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        out.add(path.substring(0, i) + "/" + path.substring(i));
        out.add(path.substring(0, i) + "///" + path.substring(i));
      }
    }
    for (String base : List.copyOf(out)) {
      if (!base.contains(";")) {
        out.add(base + "/");
        out.add(base + "//");
        out.add("/" + base);
      }
    }
    return out;
  }

  private static String withSegment(String[] segments, int j, String replacement) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      sb.append('/').append(i == j ? replacement : segments[i]);
    }
    return sb.toString();
  }

  /** Every character escaped, hex digits alternating case when {@code mixed}. */
  private static String escapeAll(String segment, boolean mixed) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      String hex = String.format("%02x", (int) segment.charAt(i));
      sb.append('%').append(mixed && i % 2 == 0 ? hex.toUpperCase(Locale.ROOT) : hex);
    }
    return sb.toString();
  }
}

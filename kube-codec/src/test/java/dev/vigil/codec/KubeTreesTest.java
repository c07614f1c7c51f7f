package dev.vigil.codec;

import static dev.vigil.codec.Trees.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class KubeTreesTest {

  private static final JsonNode POD = tree("""
      {kind: Pod, metadata: {name: p, labels: {hostNetwork: 'true'}, annotations: {privileged: true}},
       spec: {hostPID: false, nodeName: null,
              containers: [{name: c, securityContext: {privileged: true}}],
              volumes: [{name: v, emptyDir: {}}]}}""");

  @Test
  void shouldSearchDepthFirstThroughObjectsAndArraysSkippingMetadata() {
    List<String> seen = new ArrayList<>();

    boolean found = KubeTrees.find(POD, (k, v) -> {
      seen.add(k);
      return "privileged".equals(k);
    });

    assertThat(found).isTrue();
    assertThat(seen).containsExactly("kind", "spec", "hostPID", "nodeName", "containers", "name", "securityContext",
        "privileged");
  }

  @Test
  void shouldSkipMetadataAtAnyDepth() {
    JsonNode deployment = tree("{spec: {template: {metadata: {labels: {hostIPC: true}}, spec: {}}}}");

    assertThat(KubeTrees.anyTrue(deployment, "hostIPC")).isFalse();
    assertThat(KubeTrees.anySet(deployment, "labels")).isFalse();
    assertThat(KubeTrees.anySet(deployment, "template")).isTrue();
  }

  @Test
  void shouldFindNothingInNullOrScalars() {
    assertThat(KubeTrees.find(null, (k, v) -> true)).isFalse();
    assertThat(KubeTrees.find(tree("true"), (k, v) -> true)).isFalse();
    assertThat(KubeTrees.find(tree("[1, a]"), (k, v) -> true)).isFalse();
  }

  @Test
  void shouldCountOnlyBooleanTrue() {
    assertThat(KubeTrees.anyTrue(POD, "privileged")).isTrue();
    assertThat(KubeTrees.anyTrue(POD, "hostPID")).isFalse();
    assertThat(KubeTrees.anyTrue(POD, "hostNetwork")).isFalse(); // only a label, and a string
    assertThat(KubeTrees.anyTrue(tree("{spec: {hostNetwork: 'true'}}"), "hostNetwork")).isFalse();
  }

  @Test
  void shouldCountAnyNonNullValueAsSet() {
    assertThat(KubeTrees.anySet(POD, "emptyDir")).isTrue();
    assertThat(KubeTrees.anySet(POD, "hostPID")).isTrue();
    assertThat(KubeTrees.anySet(POD, "nodeName")).isFalse();
    assertThat(KubeTrees.anySet(POD, "hostPath")).isFalse();
  }

  @Test
  void shouldReadStringsOfAnArrayOrALoneString() {
    assertThat(KubeTrees.strings(tree("[get, 1, null, list, {a: b}]"))).containsExactly("get", "list");
    assertThat(KubeTrees.strings(tree("'*'"))).containsExactly("*");
    assertThat(KubeTrees.strings(tree("{verbs: [get]}"))).isEmpty();
    assertThat(KubeTrees.strings(tree("7"))).isEmpty();
    assertThat(KubeTrees.strings(null)).isEmpty();
  }
}

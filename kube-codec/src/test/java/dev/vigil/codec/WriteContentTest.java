package dev.vigil.codec;

import static dev.vigil.codec.Trees.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteContentTest {

  @Test
  void shouldTakeAnObjectAsItsOwnContent() {
    JsonNode merge = tree("{roleRef: {name: cluster-admin}, metadata: {name: b}}");

    assertThat(WriteContent.of(merge)).isSameAs(merge);
    assertThat(WriteContent.of(tree("{}"))).isEqualTo(tree("{}"));
  }

  @Test
  void shouldPlaceEachAddAndReplaceAtItsPath() {
    JsonNode patch = tree("""
        [{op: replace, path: /roleRef/name, value: cluster-admin},
         {op: add, path: /roleRef/kind, value: ClusterRole},
         {op: test, path: /spec, value: x},
         {op: remove, path: /subjects/0},
         {op: add, path: /spec/template/spec/hostNetwork, value: true}]""");

    assertThat(WriteContent.of(patch)).isEqualTo(tree("""
        {roleRef: {name: cluster-admin, kind: ClusterRole}, spec: {template: {spec: {hostNetwork: true}}}}"""));
  }

  @Test
  void shouldTurnIndexesAndDashIntoArrayElements() {
    JsonNode patch = tree("""
        [{op: add, path: /rules/0/verbs/-, value: '*'},
         {op: add, path: /rules/-, value: {resources: [pods], verbs: [get]}},
         {op: replace, path: /spec/containers/0/securityContext/privileged, value: true}]""");

    assertThat(WriteContent.of(patch)).isEqualTo(tree("""
        {rules: [{verbs: ['*']}, {resources: [pods], verbs: [get]}],
         spec: {containers: [{securityContext: {privileged: true}}]}}"""));
  }

  @Test
  void shouldUnescapePointerTokens() {
    JsonNode patch = tree("[{op: add, path: '/metadata/annotations/a~1b~0c', value: v}]");

    assertThat(WriteContent.of(patch)).isEqualTo(tree("{metadata: {annotations: {'a/b~c': v}}}"));
  }

  @Test
  void shouldReplaceWhatIsInTheWayOfAPath() {
    JsonNode patch = tree("""
        [{op: add, path: /spec, value: {volumes: {}}},
         {op: add, path: /spec/volumes/0, value: {name: v}},
         {op: add, path: /a, value: 1},
         {op: add, path: /a/b, value: 2}]""");

    assertThat(WriteContent.of(patch)).isEqualTo(tree("{spec: {volumes: [{name: v}]}, a: {b: 2}}"));
  }

  @Test
  void shouldMergeAWholeObjectAtTheRoot() {
    JsonNode patch = tree("[{op: add, path: '', value: {spec: {hostPID: true}}}, {op: add, path: /kind, value: Pod}]");

    assertThat(WriteContent.of(patch)).isEqualTo(tree("{spec: {hostPID: true}, kind: Pod}"));
  }

  @Test
  void shouldMaterialiseAnEmptyPatchAsAnEmptyObject() {
    assertThat(WriteContent.of(tree("[]"))).isEqualTo(tree("{}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[{op: move, from: /a, path: /roleRef}]",
      "[{op: copy, from: /a, path: /roleRef}]",
      "[{op: merge, path: /a, value: 1}]",
      "[{path: /a, value: 1}]",
      "[{op: add, value: 1}]",
      "[{op: add, path: 3, value: 1}]",
      "[{op: add, path: /a}]",
      "[{op: add, path: a/b, value: 1}]",
      "[{op: add, path: '', value: [1]}]",
      "'a string'",
      "42"})
  void shouldNotKnowWhatItCannotSee(String body) {
    assertThat(WriteContent.of(tree(body))).isNull();
  }

  @Test
  void shouldNotKnowANullBody() {
    assertThat(WriteContent.of(null)).isNull();
  }
}
